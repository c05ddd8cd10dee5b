package io.eventlistener.watch;

import java.util.concurrent.atomic.AtomicInteger;

import io.eventlistener.testsupport.TestNamespace;
import tools.jackson.databind.JsonNode;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A queue of the test's own bound to the models exchange with {@code #}: every
 * model-watcher message published from the moment it is created, in order.
 */
final class ModelMessages {

	private static final AtomicInteger count = new AtomicInteger();

	private final RabbitTemplate template;

	private final String queue;

	ModelMessages(WatcherApplication application, TestNamespace namespace) {
		this.template = application.bean(RabbitTemplate.class);
		this.queue = namespace.queuePrefix() + ".spy." + count.incrementAndGet();
		AmqpAdmin admin = application.bean(AmqpAdmin.class);
		// not auto-delete: every receive() consumes and cancels; the namespace deletes it
		admin.declareQueue(QueueBuilder.nonDurable(this.queue).build());
		admin.declareBinding(
				new Binding(this.queue, Binding.DestinationType.QUEUE, namespace.modelsExchange(), "#", null));
	}

	/**
	 * The next message, waiting for it as long as the tests are patient.
	 */
	Message next() {
		Message message = this.template.receive(this.queue, WatcherApplication.PATIENCE.toMillis());
		assertThat(message).as("a model-watcher message on " + this.queue).isNotNull();
		return message;
	}

	/**
	 * The next message's body.
	 */
	JsonNode nextBody() {
		return JsonNodes.read(next().getBody());
	}

}
