/**
 * The starter's sides built together, each from one builder:
 * {@link io.eventlistener.assembly.EventListenerAssembly} makes the loader, handlers,
 * topology, registry, pipeline and lifecycle;
 * {@link io.eventlistener.assembly.EventPublishingAssembly} the confirmed sender, outbox,
 * relay and publisher; {@link io.eventlistener.assembly.ModelWatcherAssembly} the model
 * watcher's synchronizer, registry recovery and subscription. No other package of the
 * library depends on this one.
 * <p>
 * Internal to event-listener: public for the auto-configuration, not API; it may change
 * in any release.
 */
@NullMarked
package io.eventlistener.assembly;

import org.jspecify.annotations.NullMarked;
