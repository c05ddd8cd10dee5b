/**
 * Publishing events with publisher confirms.
 * <p>
 * Internal to event-listener: public for the other packages and the auto-configuration,
 * not API; it may change in any release.
 */
@NullMarked
package io.eventlistener.publish;

import org.jspecify.annotations.NullMarked;
