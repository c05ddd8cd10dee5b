/**
 * The JSON wire format shared with isimud 1.4: reading and writing event and
 * model-watcher message bodies.
 * <p>
 * Internal to event-listener: public for the other packages and the auto-configuration,
 * not API; it may change in any release.
 */
@NullMarked
package io.eventlistener.wire;

import org.jspecify.annotations.NullMarked;
