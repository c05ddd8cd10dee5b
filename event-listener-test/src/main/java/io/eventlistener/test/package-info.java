/**
 * Test support for applications built on the event-listener starter: publish an event and
 * wait until an observer handled it, see what the application published, and run RabbitMQ
 * and PostgreSQL in Testcontainers.
 */
@NullMarked
package io.eventlistener.test;

import org.jspecify.annotations.NullMarked;
