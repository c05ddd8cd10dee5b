/**
 * The listener side built together:
 * {@link io.eventlistener.assembly.EventListenerAssembly} makes the loader, handlers,
 * topology, registry, pipeline and lifecycle from one builder. No other package of the
 * library depends on this one.
 * <p>
 * Internal to event-listener: public for the auto-configuration, not API; it may change
 * in any release.
 */
@NullMarked
package io.eventlistener.assembly;

import org.jspecify.annotations.NullMarked;
