package io.eventlistener.sample.broker;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts the {@link EmbeddedAmqpBroker} before any bean is created and points
 * {@code spring.rabbitmq.*} at it, unless the application is told to use a real broker:
 * {@code sample.embedded-broker.enabled=false} (the {@code rabbitmq} profile sets it), or
 * any of {@code spring.rabbitmq.host}, {@code port} or {@code addresses} set.
 * <p>
 * Every starter feature works here: dead-lettering republishes to an ordinary exchange
 * and queue (no RabbitMQ queue arguments, which Qpid refuses). One limit differs, and the
 * settings that depend on it are adjusted with a log line that says so: Qpid allows 256
 * channels per connection (RabbitMQ 2047), so
 * {@code event-listener.consumer.channels-per-connection} is 240 there. The broker stops
 * after every other bean, so the listener's graceful stop still reaches it.
 * <p>
 * Settings: {@code sample.embedded-broker.address} (default {@code 127.0.0.1}) and
 * {@code sample.embedded-broker.port} (default 0: a free port, never RabbitMQ's 5672).
 * Registered in {@code META-INF/spring.factories}, so tests get it too.
 */
public class EmbeddedAmqpBrokerInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	/** The bean name of the running broker. */
	public static final String BEAN_NAME = "embeddedAmqpBroker";

	static final String ENABLED = "sample.embedded-broker.enabled";

	/** Settings adjusted to the embedded broker's limits, and why. */
	static final Map<String, String> ADJUSTED_SETTINGS = Map.of("event-listener.consumer.channels-per-connection",
			"Qpid allows 256 channels per connection");

	/** Channels per connection within Qpid's 256, 16 kept spare. */
	static final int QPID_CHANNELS_PER_CONNECTION = 240;

	private static final List<String> REAL_BROKER_SETTINGS = List.of("spring.rabbitmq.host", "spring.rabbitmq.port",
			"spring.rabbitmq.addresses");

	private static final Log logger = LogFactory.getLog(EmbeddedAmqpBrokerInitializer.class);

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		ConfigurableEnvironment environment = context.getEnvironment();
		String reason = realBrokerReason(environment);
		if (reason != null) {
			logger.info("Not starting the embedded AMQP broker: " + reason);
			return;
		}
		if (context.getBeanFactory().containsSingleton(BEAN_NAME)) {
			return;
		}
		EmbeddedAmqpBroker broker = new EmbeddedAmqpBroker(
				environment.getProperty("sample.embedded-broker.address", "127.0.0.1"),
				environment.getProperty("sample.embedded-broker.port", Integer.class, 0), "guest", "guest")
			.start();
		environment.getPropertySources().addFirst(new MapPropertySource(BEAN_NAME, settings(broker)));
		logger.info("Started the embedded AMQP broker (Apache Qpid Broker-J, in memory) on " + broker.getAddress() + ":"
				+ broker.getPort() + "; to use RabbitMQ and PostgreSQL instead, activate the rabbitmq profile: "
				+ "-Dspring-boot.run.profiles=rabbitmq with spring-boot:run, --spring.profiles.active=rabbitmq with java -jar");
		ADJUSTED_SETTINGS.forEach((setting, why) -> logger.info("Embedded AMQP broker: " + setting + "="
				+ QPID_CHANNELS_PER_CONNECTION + " because " + why + "; RabbitMQ allows 2047."));
		// registered before every other bean, so destroyed after all of them
		context.getBeanFactory().registerSingleton(BEAN_NAME, broker);
		((DefaultListableBeanFactory) context.getBeanFactory()).registerDisposableBean(BEAN_NAME, broker::stop);
	}

	private static String realBrokerReason(ConfigurableEnvironment environment) {
		if (!environment.getProperty(ENABLED, Boolean.class, true)) {
			return ENABLED + "=false";
		}
		for (String setting : REAL_BROKER_SETTINGS) {
			if (environment.containsProperty(setting)) {
				return setting + " is set";
			}
		}
		return null;
	}

	private static Map<String, Object> settings(EmbeddedAmqpBroker broker) {
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("spring.rabbitmq.host", broker.getAddress());
		settings.put("spring.rabbitmq.port", broker.getPort());
		settings.put("spring.rabbitmq.username", "guest");
		settings.put("spring.rabbitmq.password", "guest");
		settings.put("spring.rabbitmq.virtual-host", "/");
		// at most 240 consumer channels per connection keeps every consumer within
		// Qpid's channels
		ADJUSTED_SETTINGS.keySet().forEach((setting) -> settings.put(setting, QPID_CHANNELS_PER_CONNECTION));
		return settings;
	}

}
