/**
 * The public API: {@link io.eventlistener.EventObserver} for entities,
 * {@link io.eventlistener.EventHandler} for the beans that handle their events, and the
 * isimud-compatible {@link io.eventlistener.Event} with its
 * {@link io.eventlistener.EventPublisher}.
 */
@NullMarked
package io.eventlistener;

import org.jspecify.annotations.NullMarked;
