/**
 * Annotated handler methods ({@code @EventObserverHandler}): found once at start-up and
 * adapted to {@code EventHandler}, so they take the same dispatch path.
 */
@NullMarked
package io.eventlistener.method;

import org.jspecify.annotations.NullMarked;
