/**
 * The live registry of observers and the broker objects it keeps in step with it. <pre>
 *                      topic exchange "events"
 *   publishers ──────▶ ──┬───────────────────────────┬───────────
 *                        │ binding per routing key   │
 *                        ▼                           ▼
 *        [app.subscription.1] (durable)     [app.subscription.2] (durable)
 *          │          shared by every instance: competing consumers
 *          ▼
 *   instance A ─┐   multiplexed consumers, 100 per channel, 500 channels per
 *   instance B ─┴─▶ connection (channel_max is 2047), consume every registered
 *                   queue; a delivery is routed by its queue to
 *                   the observer row and its type's EventHandler
 *
 *                      topic exchange "models"
 *   model changes ───▶ ──┬────────────────────────────┐  "schema.Type.*"
 *                        ▼                            ▼
 *     [app.listener.hostA.123]           [app.listener.hostB.456]
 *     exclusive, auto-delete: every instance hears every observer change
 *     and registers, rebinds or unregisters live
 * </pre>
 * <p>
 * Internal to event-listener: public for the other packages and the auto-configuration,
 * not API; it may change in any release.
 */
@NullMarked
package io.eventlistener.registry;

import org.jspecify.annotations.NullMarked;
