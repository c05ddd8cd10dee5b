package io.eventlistener.autoconfigure.diagnostics;

import io.eventlistener.logging.LogSanitizer;

import org.springframework.amqp.AmqpConnectException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.Environment;

/**
 * The broker did not accept a connection at start-up (refused, unknown host, timed out).
 */
class BrokerUnreachableFailureAnalyzer extends AbstractFailureAnalyzer<AmqpConnectException> {

	private final Environment environment;

	BrokerUnreachableFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, AmqpConnectException cause) {
		Throwable reason = NestedExceptionUtils.getMostSpecificCause(cause);
		return new FailureAnalysis(
				"The event listener could not connect to RabbitMQ at " + BrokerAddresses.of(this.environment) + ": "
						+ reason.getClass().getSimpleName() + ": " + LogSanitizer.sanitize(reason.getMessage()) + ".",
				"Start RabbitMQ there, or point the application at the broker with spring.rabbitmq.host and "
						+ "spring.rabbitmq.port, or spring.rabbitmq.addresses (host1:5672,host2:5672) for a cluster.",
				cause);
	}

}
