package io.eventlistener.isimud;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.eventlistener.testsupport.LocalServices;
import io.eventlistener.testsupport.TestNamespace;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * What any other consumer of the models exchange sees: a queue of its own bound with
 * {@code #}, read with the plain client.
 */
final class ModelsSpy implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Connection connection;

	private final Channel channel;

	private final String queue;

	ModelsSpy(TestNamespace namespace) {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(LocalServices.RABBIT_HOST);
		factory.setPort(LocalServices.RABBIT_PORT);
		try {
			this.connection = factory.newConnection("models-spy-" + namespace.id());
			this.channel = this.connection.createChannel();
			this.channel.exchangeDeclare(namespace.modelsExchange(), "topic", true);
			this.queue = this.channel.queueDeclare(namespace.queuePrefix() + ".spy", false, true, true, null)
				.getQueue();
			this.channel.queueBind(this.queue, namespace.modelsExchange(), "#");
		}
		catch (IOException | TimeoutException ex) {
			throw new IllegalStateException("Could not spy on the models exchange", ex);
		}
	}

	/**
	 * The next model-watcher message's body, waiting for it.
	 */
	JsonNode next() {
		AtomicReference<GetResponse> response = new AtomicReference<>();
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			response.set(this.channel.basicGet(this.queue, true));
			return response.get() != null;
		});
		return json.readTree(response.get().getBody());
	}

	@Override
	public void close() {
		try {
			this.connection.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

}
