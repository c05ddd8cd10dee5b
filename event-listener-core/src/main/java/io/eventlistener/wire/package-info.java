/**
 * The JSON wire format shared with isimud 1.4: reading and writing event and
 * model-watcher message bodies.
 */
@NullMarked
package io.eventlistener.wire;

import org.jspecify.annotations.NullMarked;
