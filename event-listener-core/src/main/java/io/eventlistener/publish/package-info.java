/**
 * Publishing events with publisher confirms.
 */
@NullMarked
package io.eventlistener.publish;

import org.jspecify.annotations.NullMarked;
