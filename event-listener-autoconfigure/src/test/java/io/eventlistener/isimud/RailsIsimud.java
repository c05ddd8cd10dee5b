package io.eventlistener.isimud;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.eventlistener.testsupport.LocalServices;
import io.eventlistener.testsupport.TestNamespace;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Rails application using isimud 1.4.7 on ActiveRecord 6.1, played with plain JDBC and
 * the plain RabbitMQ client, byte for byte where the starter can see it:
 * <ul>
 * <li>the row is written as ActiveRecord writes it: {@code exchange_routing_keys} as
 * Psych's YAML ({@code NULL} when empty), {@code created_at}/{@code updated_at} in UTC
 * with microseconds;
 * <li>then the {@code after_commit} callbacks of {@code Isimud::EventObserver} run:
 * {@code create_queue} on create when enabled, {@code update_queue} on every update (the
 * queue is deleted, then declared and bound again if the row is enabled and has keys),
 * {@code delete_queue} on destroy, on the queue {@code {queue_prefix}.company.{id}};
 * <li>then {@code Isimud::ModelWatcher} publishes {@code payload.to_json} to the models
 * exchange, persistent, with no content type and no message id: every column but
 * {@code id}, and {@code timestamp} = {@code updated_at}.
 * </ul>
 * Events are published the way {@code Isimud::Event#publish} does.
 */
final class RailsIsimud implements AutoCloseable {

	private static final DateTimeFormatter RAILS_JSON_TIME = DateTimeFormatter
		.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

	/**
	 * The keys of these tests need no quoting in Psych's YAML: a word start, no ": " or "
	 * #".
	 */
	private static final Pattern PLAIN_IN_PSYCH = Pattern.compile("[a-z][a-z.#*]*");

	private static final JsonMapper json = JsonMapper.builder().build();

	private final TestNamespace namespace;

	private final String queuePrefix;

	private final Connection connection;

	private final Channel channel;

	/**
	 * Create a new {@code RailsIsimud}.
	 * @param namespace the test's database schema and exchanges
	 * @param queuePrefix isimud's {@code queue_prefix} (the Rails application's name)
	 */
	RailsIsimud(TestNamespace namespace, String queuePrefix) {
		this.namespace = namespace;
		this.queuePrefix = queuePrefix;
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(LocalServices.RABBIT_HOST);
		factory.setPort(LocalServices.RABBIT_PORT);
		try {
			this.connection = factory.newConnection("rails-isimud-" + namespace.id());
			this.channel = this.connection.createChannel();
			this.channel.confirmSelect();
			// Bunny's channel.topic(name, durable: true), before every publish and bind
			this.channel.exchangeDeclare(namespace.eventsExchange(), "topic", true);
			this.channel.exchangeDeclare(namespace.modelsExchange(), "topic", true);
		}
		catch (IOException | TimeoutException ex) {
			throw new IllegalStateException("Could not connect to RabbitMQ as the Rails app", ex);
		}
	}

	String queue(long id) {
		return this.queuePrefix + ".company." + id;
	}

	/** {@code Company.create!(name:, active:, routing_keys:)}. */
	Row create(String name, boolean active, List<String> keys) {
		LocalDateTime now = now();
		long id = this.namespace.queryForLong("insert into companies (name, active, exchange_routing_keys, "
				+ "created_at, updated_at) values (" + literal(name) + ", " + active + ", " + yaml(keys) + ", "
				+ literal(now) + ", " + literal(now) + ") returning id");
		Row row = new Row(id, name, active, keys, now, now);
		if (active) {
			createQueue(row);
		}
		publishModelChange("create", row);
		return row;
	}

	/** {@code company.update!(active:, routing_keys:)}. */
	Row update(Row before, boolean active, List<String> keys) {
		Row row = new Row(before.id(), before.name(), active, keys, before.createdAt(), now());
		this.namespace.sql("update companies set active = " + active + ", exchange_routing_keys = " + yaml(keys)
				+ ", updated_at = " + literal(row.updatedAt()) + " where id = " + row.id());
		// EventObserver#update_queue
		deleteQueue(row);
		if (active && !keys.isEmpty()) {
			createQueue(row);
		}
		publishModelChange("update", row);
		return row;
	}

	/** {@code company.destroy}. */
	void destroy(Row row) {
		this.namespace.sql("delete from companies where id = " + row.id());
		deleteQueue(row);
		publishModelChange("destroy", row);
	}

	/**
	 * {@code Isimud::Event.new(type:, action:, parameters: {seq:}).publish}: routing key
	 * {@code type.action}.
	 */
	void publishEvent(String type, int seq) {
		String body = "{\"type\":\"" + type + "\",\"action\":\"tick\",\"user_id\":null,\"occurred_at\":\""
				+ RAILS_JSON_TIME.format(now()) + "\",\"eventful_type\":null,\"eventful_id\":null,"
				+ "\"session_id\":null,\"parameters\":{\"seq\":" + seq + "},\"attributes\":null}";
		publish(this.namespace.eventsExchange(), type + ".tick", body);
	}

	/**
	 * {@code create_queue} with keys the row no longer has (as isimud's listener or
	 * {@code activate_observer} binds on a shared queue; it never unbinds).
	 */
	void bindAgain(Row row, String key) {
		try {
			this.channel.queueBind(queue(row.id()), this.namespace.eventsExchange(), key);
		}
		catch (IOException ex) {
			throw new IllegalStateException("bind failed", ex);
		}
	}

	/** BunnyClient#create_queue: a durable queue, bound with each key. */
	private void createQueue(Row row) {
		try {
			this.channel.queueDeclare(queue(row.id()), true, false, false, null);
			for (String key : row.keys()) {
				this.channel.queueBind(queue(row.id()), this.namespace.eventsExchange(), key);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("create_queue failed", ex);
		}
	}

	/** BunnyClient#delete_queue: the queue and its messages are gone. */
	private void deleteQueue(Row row) {
		try {
			this.channel.queueDelete(queue(row.id()));
		}
		catch (IOException ex) {
			throw new IllegalStateException("delete_queue failed", ex);
		}
	}

	private void publishModelChange(String action, Row row) {
		ObjectNode payload = json.createObjectNode();
		payload.put("schema", LocalServices.POSTGRES_DATABASE);
		payload.put("type", "Company");
		payload.put("action", action);
		payload.put("id", row.id());
		payload.put("timestamp", RAILS_JSON_TIME.format(row.updatedAt()));
		ObjectNode attributes = payload.putObject("attributes");
		attributes.put("name", row.name());
		attributes.put("active", row.active());
		ArrayNode keys = attributes.putArray("exchange_routing_keys");
		row.keys().forEach(keys::add);
		attributes.put("created_at", RAILS_JSON_TIME.format(row.createdAt()));
		attributes.put("updated_at", RAILS_JSON_TIME.format(row.updatedAt()));
		publish(this.namespace.modelsExchange(), LocalServices.POSTGRES_DATABASE + ".Company." + action,
				json.writeValueAsString(payload));
	}

	/** BunnyClient#publish: persistent, no content type, no message id, confirmed. */
	private void publish(String exchange, String routingKey, String body) {
		try {
			this.channel.basicPublish(exchange, routingKey, new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
					body.getBytes(StandardCharsets.UTF_8));
			this.channel.waitForConfirmsOrDie(30_000);
		}
		catch (IOException | TimeoutException ex) {
			throw new IllegalStateException("publish to " + exchange + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** What {@code serialize :exchange_routing_keys, Array} writes. */
	static String yaml(List<String> keys) {
		if (keys.isEmpty()) {
			return "null";
		}
		StringBuilder yaml = new StringBuilder("---\n");
		for (String key : keys) {
			if (!PLAIN_IN_PSYCH.matcher(key).matches()) {
				throw new IllegalArgumentException("Psych would quote " + key + "; use plain keys here");
			}
			yaml.append("- ").append(key).append('\n');
		}
		return "'" + yaml + "'";
	}

	private static String literal(String text) {
		return "'" + text.replace("'", "''") + "'";
	}

	private static String literal(LocalDateTime time) {
		return "timestamp '" + time + "'";
	}

	private static LocalDateTime now() {
		return LocalDateTime.ofInstant(Instant.now(), ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
	}

	@Override
	public void close() {
		try {
			this.connection.close();
		}
		catch (IOException ex) {
			// the broker closed it already
		}
	}

	/**
	 * The row as the Rails model holds it after the save.
	 */
	record Row(long id, String name, boolean active, List<String> keys, LocalDateTime createdAt,
			LocalDateTime updatedAt) {
	}

}
