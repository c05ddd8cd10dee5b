/**
 * Partitioned consumption ({@code event-listener.consumer.partitioning=dynamic}): the
 * running instances share the observer queues instead of each consuming all of them.
 * <pre>
 *   observer (type, id) ──crc32──▶ bucket 0..1023 ──assignment──▶ instance
 *
 *   event_listener_member      one row per running instance, heartbeated;
 *                              rows older than the timeout are removed
 *   event_listener_assignment  one row: the generation and the owner of each
 *                              bucket, rewritten (compare-and-set on the
 *                              generation) by whichever instance rebalances first
 * </pre> Every instance still declares and binds every queue and hears every model
 * change; only consuming is partitioned.
 * <p>
 * Internal to event-listener: public for the other packages and the auto-configuration,
 * not API; it may change in any release.
 */
@NullMarked
package io.eventlistener.partition;

import org.jspecify.annotations.NullMarked;
