package io.eventlistener.benchmarks.app;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.amqp.rabbit.connection.ConnectionNameStrategy;
import org.springframework.amqp.rabbit.listener.AsyncConsumerStartedEvent;
import org.springframework.boot.amqp.autoconfigure.ConnectionFactoryCustomizer;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The application the benchmark measures: the starter, one observer entity, one handler.
 */
@SpringBootApplication
public class BenchApplication {

	/**
	 * The client property that names the benchmark instance a connection belongs to, so
	 * that the management API can tell apart instances whose connections share a name
	 * (they share the queue prefix); from the {@code benchmark.instance} setting.
	 */
	public static final String INSTANCE_PROPERTY = "benchmark-instance";

	/** Counts consumers the broker confirmed (basic.consume-ok), over every shard. */
	public static final AtomicInteger consumersStarted = new AtomicInteger();

	@Bean
	DeliveryRecorder deliveryRecorder() {
		return new DeliveryRecorder();
	}

	@Bean
	BenchHandler benchHandler(DeliveryRecorder recorder) {
		return new BenchHandler(recorder);
	}

	@Bean
	RegistryTimes registryTimes() {
		return new RegistryTimes();
	}

	@Bean
	ApplicationListener<AsyncConsumerStartedEvent> consumerStarted() {
		return (event) -> consumersStarted.incrementAndGet();
	}

	@Bean
	ConnectionNameStrategy benchConnectionNames(org.springframework.core.env.Environment environment) {
		String prefix = environment.getProperty("event-listener.queue-prefix");
		return (factory) -> prefix + ".main";
	}

	/**
	 * Every connection of this instance (the starter's are copies of the application's
	 * client factory) carries {@link #INSTANCE_PROPERTY} when {@code benchmark.instance}
	 * is set. Instances starting at once on a busy machine kept the broker's handshake
	 * beyond the client's 10 s (a start failed with {@code TimeoutException}), so theirs
	 * may take 60 s.
	 */
	@Bean
	ConnectionFactoryCustomizer benchInstanceProperty(org.springframework.core.env.Environment environment) {
		String instance = environment.getProperty("benchmark.instance");
		return (factory) -> {
			if (instance != null) {
				factory.getClientProperties().put(INSTANCE_PROPERTY, instance);
				factory.setHandshakeTimeout(60_000);
			}
		};
	}

	/**
	 * Start the application.
	 * @param jdbcUrl the database, with the benchmark's schema as current schema
	 * @param prefix the queue prefix; exchanges are {@code prefix.events} and
	 * {@code prefix.models}, shard connections are named {@code prefix.consumers#n}
	 * @param extra more settings
	 * @return the running application
	 */
	public static ConfigurableApplicationContext start(String jdbcUrl, String prefix, Map<String, Object> extra) {
		return start(BenchApplication.class, jdbcUrl, prefix, extra);
	}

	/**
	 * Start another application on the same settings.
	 * @param application its {@code @SpringBootApplication} class
	 * @param jdbcUrl the database, with the benchmark's schema as current schema
	 * @param prefix the queue prefix, also the exchanges' prefix
	 * @param extra more settings
	 * @return the running application
	 */
	public static ConfigurableApplicationContext start(Class<?> application, String jdbcUrl, String prefix,
			Map<String, Object> extra) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.datasource.url", jdbcUrl);
		properties.put("spring.datasource.username", "postgres");
		properties.put("spring.jpa.hibernate.ddl-auto", "none");
		properties.put("spring.jpa.open-in-view", "false");
		properties.put("spring.main.banner-mode", "off");
		properties.put("event-listener.queue-prefix", prefix);
		properties.put("event-listener.exchanges.events", prefix + ".events");
		properties.put("event-listener.exchanges.models", prefix + ".models");
		properties.putAll(extra);
		return new SpringApplicationBuilder(application).properties(properties).run();
	}

}
