package io.eventlistener.autoconfigure.diagnostics;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;
import io.eventlistener.logging.LogSanitizer;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpAuthenticationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;

/**
 * The broker refused the connection's credentials, or its virtual host (missing, or the
 * user has no permission on it: the broker closes the connection with {@code 530
 * NOT_ALLOWED}).
 */
class BrokerAccessRefusedFailureAnalyzer implements FailureAnalyzer {

	private final Environment environment;

	BrokerAccessRefusedFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof AmqpAuthenticationException) {
				return credentials(failure);
			}
			if (cause instanceof ShutdownSignalException shutdown
					&& shutdown.getReason() instanceof AMQP.Connection.Close close
					&& close.getReplyCode() == AMQP.NOT_ALLOWED) {
				return virtualHost(failure, close.getReplyText());
			}
		}
		return null;
	}

	private FailureAnalysis credentials(Throwable failure) {
		return new FailureAnalysis(
				"RabbitMQ at " + BrokerAddresses.of(this.environment) + " refused user '"
						+ BrokerAddresses.username(this.environment) + "': wrong username or password.",
				"Set spring.rabbitmq.username and spring.rabbitmq.password to an account of that broker "
						+ "(rabbitmqctl list_users lists them). Note that RabbitMQ's guest account may only connect "
						+ "from localhost.",
				failure);
	}

	private FailureAnalysis virtualHost(Throwable failure, String replyText) {
		String virtualHost = BrokerAddresses.virtualHost(this.environment);
		return new FailureAnalysis(
				"RabbitMQ at " + BrokerAddresses.of(this.environment) + " refused user '"
						+ BrokerAddresses.username(this.environment) + "' on virtual host '" + virtualHost + "': "
						+ LogSanitizer.sanitize(replyText) + ".",
				"Set spring.rabbitmq.virtual-host to a virtual host that exists, or create it and give the user "
						+ "permissions there: rabbitmqctl add_vhost " + virtualHost
						+ "; rabbitmqctl set_permissions -p " + virtualHost + " "
						+ BrokerAddresses.username(this.environment) + " '.*' '.*' '.*'.",
				failure);
	}

}
