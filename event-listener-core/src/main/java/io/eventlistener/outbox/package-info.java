/**
 * The transactional outbox: messages published inside a database transaction are stored
 * with it and sent after commit; the relay sends again what the broker has not confirmed.
 */
@NullMarked
package io.eventlistener.outbox;

import org.jspecify.annotations.NullMarked;
