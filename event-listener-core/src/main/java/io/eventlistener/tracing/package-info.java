/**
 * Trace context carried where a message leaves the thread that made it: through the
 * outbox table, and into the one span of a batch of events. Micrometer's Observation API
 * does the propagating; nothing happens without a tracing handler in the registry.
 * <p>
 * Internal to event-listener: public for the other packages and the auto-configuration,
 * not API; it may change in any release.
 */
@NullMarked
package io.eventlistener.tracing;

import org.jspecify.annotations.NullMarked;
