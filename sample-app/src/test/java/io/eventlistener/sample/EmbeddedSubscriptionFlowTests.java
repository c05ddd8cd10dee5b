package io.eventlistener.sample;

import io.eventlistener.observer.QueueNames;
import io.eventlistener.sample.broker.EmbeddedAmqpBroker;
import io.eventlistener.sample.broker.EmbeddedAmqpBrokerInitializer;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default run: H2 and the embedded in-JVM broker, zero setup.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class EmbeddedSubscriptionFlowTests extends SubscriptionFlowTests {

	@Autowired
	private ApplicationContext context;

	@LocalServerPort
	private int port;

	@Value("${spring.rabbitmq.port}")
	private int rabbitPort;

	@Value("${spring.datasource.url:}")
	private String datasourceUrl;

	@Value("${event-listener.dead-letter.enabled:true}")
	private boolean deadLettering;

	@Override
	int port() {
		return this.port;
	}

	@Override
	ApplicationContext context() {
		return this.context;
	}

	@Test
	void runsOnTheEmbeddedBrokerWithDeadLettering() {
		EmbeddedAmqpBroker broker = this.context.getBean(EmbeddedAmqpBrokerInitializer.BEAN_NAME,
				EmbeddedAmqpBroker.class);
		assertThat(this.rabbitPort).isEqualTo(broker.getPort()).isNotEqualTo(5672);
		assertThat(this.datasourceUrl).isEmpty();
		assertThat(this.deadLettering).isTrue();
		// the dead-letter exchange and queue are plain ones: the embedded broker declared
		// them
		String deadLetters = this.context.getBean(QueueNames.class).prefix() + ".dead-letter";
		assertThat(this.context.getBean(AmqpAdmin.class).getQueueInfo(deadLetters)).isNotNull();
	}

}
