/**
 * In-process subscriptions to events: one exclusive queue per process, bound with the
 * open subscriptions' routing keys, matched again in the process and fanned out to a
 * bounded buffer per subscription.
 */
@NullMarked
package io.eventlistener.subscription;

import org.jspecify.annotations.NullMarked;
