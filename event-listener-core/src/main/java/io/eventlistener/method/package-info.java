/**
 * Annotated handler methods ({@code @EventObserverHandler}): found once at start-up and
 * adapted to {@code EventHandler}, so they take the same dispatch path.
 * <p>
 * Internal to event-listener: public for the other packages and the auto-configuration,
 * not API; it may change in any release.
 */
@NullMarked
package io.eventlistener.method;

import org.jspecify.annotations.NullMarked;
