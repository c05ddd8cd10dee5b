/**
 * The idempotent inbox: the id of each handled delivery recorded in the handler's own
 * database transaction, so that a redelivery of a handled event is acknowledged without
 * calling the handler again.
 * <p>
 * Internal to event-listener: public for the other packages and the auto-configuration,
 * not API; it may change in any release.
 */
@NullMarked
package io.eventlistener.inbox;

import org.jspecify.annotations.NullMarked;
