package io.eventlistener.test;

import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.rabbitmq.RabbitMQContainer;
import org.testcontainers.utility.DockerImageName;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;

/**
 * RabbitMQ and PostgreSQL in Docker containers, wired to {@code spring.rabbitmq.*} and
 * {@code spring.datasource.*} by Spring Boot's {@link ServiceConnection}. Needs Docker
 * and, on the test classpath, {@code spring-boot-testcontainers},
 * {@code org.testcontainers:testcontainers-rabbitmq} and
 * {@code org.testcontainers:testcontainers-postgresql}. Import it:
 *
 * <pre class="code">
 * &#64;SpringBootTest
 * &#64;Import(EventListenerContainers.class)
 * &#64;AutoConfigureEventListenerTester
 * class MyApplicationTests { ... }
 * </pre>
 *
 * The containers start once per application context and stop with it.
 */
@TestConfiguration(proxyBeanMethods = false)
public class EventListenerContainers {

	/** The RabbitMQ image: the oldest supported series, with the management plugin. */
	public static final DockerImageName RABBITMQ_IMAGE = DockerImageName.parse("rabbitmq:3.10-management");

	/** The PostgreSQL image. */
	public static final DockerImageName POSTGRES_IMAGE = DockerImageName.parse("postgres:15");

	@Bean
	@ServiceConnection
	RabbitMQContainer eventListenerRabbitMq() {
		return new RabbitMQContainer(RABBITMQ_IMAGE);
	}

	@Bean
	@ServiceConnection
	PostgreSQLContainer eventListenerPostgres() {
		return new PostgreSQLContainer(POSTGRES_IMAGE);
	}

}
