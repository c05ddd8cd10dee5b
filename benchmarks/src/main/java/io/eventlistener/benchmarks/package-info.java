/**
 * Benchmarks of the starter beside RabbitMQ PerfTest and a plain Spring AMQP listener.
 */
@NullMarked
package io.eventlistener.benchmarks;

import org.jspecify.annotations.NullMarked;
