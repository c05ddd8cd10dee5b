package io.eventlistener.autoconfigure.diagnostics;

import io.eventlistener.logging.LogSanitizer;

import org.springframework.core.env.Environment;

/**
 * The broker addresses and account an application connects with, as its
 * {@code spring.rabbitmq.*} settings say, for failure messages.
 */
final class BrokerAddresses {

	private BrokerAddresses() {
	}

	static String of(Environment environment) {
		String addresses = environment.getProperty("spring.rabbitmq.addresses");
		if (addresses != null && !addresses.isBlank()) {
			// an address may carry user:password@
			return LogSanitizer.sanitize(addresses) + " (spring.rabbitmq.addresses)";
		}
		return LogSanitizer
			.sanitize(environment.getProperty("spring.rabbitmq.host", "localhost") + ":"
					+ environment.getProperty("spring.rabbitmq.port", "5672"))
				+ " (spring.rabbitmq.host and spring.rabbitmq.port)";
	}

	static String username(Environment environment) {
		return LogSanitizer.sanitize(environment.getProperty("spring.rabbitmq.username", "guest"));
	}

	static String virtualHost(Environment environment) {
		return LogSanitizer.sanitize(environment.getProperty("spring.rabbitmq.virtual-host", "/"));
	}

}
