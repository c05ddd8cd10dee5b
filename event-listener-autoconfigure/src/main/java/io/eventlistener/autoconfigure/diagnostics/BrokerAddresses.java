package io.eventlistener.autoconfigure.diagnostics;

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
			return addresses + " (spring.rabbitmq.addresses)";
		}
		return environment.getProperty("spring.rabbitmq.host", "localhost") + ":"
				+ environment.getProperty("spring.rabbitmq.port", "5672")
				+ " (spring.rabbitmq.host and spring.rabbitmq.port)";
	}

	static String username(Environment environment) {
		return environment.getProperty("spring.rabbitmq.username", "guest");
	}

	static String virtualHost(Environment environment) {
		return environment.getProperty("spring.rabbitmq.virtual-host", "/");
	}

}
