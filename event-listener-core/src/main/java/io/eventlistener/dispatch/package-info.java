/**
 * Delivering events: from a queue's delivery to the observer's {@code EventHandler}.
 * <p>
 * Internal to event-listener: public for the other packages and the auto-configuration,
 * not API; it may change in any release.
 */
@NullMarked
package io.eventlistener.dispatch;

import org.jspecify.annotations.NullMarked;
