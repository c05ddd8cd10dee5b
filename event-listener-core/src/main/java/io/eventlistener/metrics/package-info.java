/**
 * Micrometer meters of the event listener: names in {@link EventListenerMeters}, tagged
 * by observer type and outcome, never by observer id.
 */
@NullMarked
package io.eventlistener.metrics;

import org.jspecify.annotations.NullMarked;
