/**
 * The transactional outbox: messages published inside a database transaction are stored
 * with it and sent after commit; the relay sends again what the broker has not confirmed.
 * <p>
 * Internal to event-listener: public for the other packages and the auto-configuration,
 * not API; it may change in any release.
 */
@NullMarked
package io.eventlistener.outbox;

import org.jspecify.annotations.NullMarked;
