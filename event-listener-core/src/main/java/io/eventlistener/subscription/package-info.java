/**
 * In-process subscriptions to events: one exclusive queue per process, bound with the
 * open subscriptions' routing keys, matched again in the process and fanned out to a
 * bounded buffer per subscription.
 * <p>
 * Internal to event-listener: public for the other packages and the auto-configuration,
 * not API; it may change in any release.
 */
@NullMarked
package io.eventlistener.subscription;

import org.jspecify.annotations.NullMarked;
