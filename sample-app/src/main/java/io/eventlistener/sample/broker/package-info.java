/**
 * The embedded in-JVM AMQP 0-9-1 broker (Apache Qpid Broker-J, in memory) that lets the
 * sample application run with nothing but Java installed.
 */
@NullMarked
package io.eventlistener.sample.broker;

import org.jspecify.annotations.NullMarked;
