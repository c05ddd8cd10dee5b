/**
 * Starting and stopping the listener: loading the active observers, then consuming.
 * <p>
 * Internal to event-listener: public for the other packages and the auto-configuration,
 * not API; it may change in any release.
 */
@NullMarked
package io.eventlistener.lifecycle;

import org.jspecify.annotations.NullMarked;
