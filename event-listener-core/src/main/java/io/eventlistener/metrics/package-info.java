/**
 * Micrometer meters of the event listener: names in {@link EventListenerMeters}, tagged
 * by observer type and outcome, never by observer id.
 * <p>
 * Internal to event-listener: public for the other packages and the auto-configuration,
 * not API; it may change in any release.
 */
@NullMarked
package io.eventlistener.metrics;

import org.jspecify.annotations.NullMarked;
