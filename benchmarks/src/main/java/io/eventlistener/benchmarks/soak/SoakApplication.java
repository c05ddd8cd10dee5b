package io.eventlistener.benchmarks.soak;

import io.eventlistener.benchmarks.app.BenchApplication;
import io.eventlistener.benchmarks.app.Subscriber;

import org.springframework.amqp.rabbit.connection.ConnectionNameStrategy;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The application the soak run keeps busy: the benchmark's {@link Subscriber} observers,
 * a handler that needs the database. Started with
 * {@link BenchApplication#start(Class, String, String, java.util.Map)}.
 */
@SpringBootApplication
@EntityScan(basePackageClasses = Subscriber.class)
public class SoakApplication {

	@Bean
	Deliveries deliveries() {
		return new Deliveries();
	}

	@Bean
	SoakHandler soakHandler(JdbcTemplate jdbc, Deliveries deliveries) {
		return new SoakHandler(jdbc, deliveries);
	}

	/**
	 * Names the main and publisher connections after the queue prefix, as the consumer
	 * shards already are ({@code prefix.consumers#n}), so the soak closes exactly these.
	 */
	@Bean
	ConnectionNameStrategy soakConnectionNames(Environment environment) {
		String prefix = environment.getProperty("event-listener.queue-prefix");
		return (factory) -> prefix + ".main";
	}

}
