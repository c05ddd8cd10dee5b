package io.eventlistener.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.eventlistener.testsupport.LocalServices;
import io.eventlistener.testsupport.RawAmqp;
import io.eventlistener.testsupport.TestNamespace;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Rails application using isimud 1.4.7 with a {@code Subscription} model
 * ({@code include Isimud::EventObserver},
 * {@code serialize :exchange_routing_keys, Array}, {@code enable_listener?} reading
 * {@code enabled}), played with plain JDBC and the plain RabbitMQ client, as the
 * starter's {@code RailsIsimud} plays its {@code Company}:
 * <ul>
 * <li>the row is written as ActiveRecord writes it, {@code exchange_routing_keys} by
 * ActiveRecord's own YAML coder ({@link ActiveRecordYamlColumn}), the timestamps in UTC
 * with microseconds;
 * <li>then isimud's {@code after_commit} callbacks: {@code create_queue} on create when
 * enabled, {@code update_queue} (delete, then declare and bind again when enabled) on
 * update, on its own queue {@code {rails prefix}.subscription.{id}};
 * <li>then {@code Isimud::ModelWatcher} publishes every column but {@code id} to the
 * models exchange, routing key {@code {schema}.Subscription.{action}}, persistent, with
 * no content type and no message id.
 * </ul>
 */
final class RailsSubscriptions implements AutoCloseable {

	/**
	 * {@code create_table :subscriptions} with {@code t.string :name},
	 * {@code t.boolean :enabled}, isimud's column and {@code t.timestamps}.
	 */
	static final String DDL = "create table subscriptions (id bigserial primary key, name character varying, "
			+ "enabled boolean not null default true, exchange_routing_keys text, "
			+ "created_at timestamp(6) without time zone not null, "
			+ "updated_at timestamp(6) without time zone not null)";

	private static final DateTimeFormatter RAILS_JSON_TIME = DateTimeFormatter
		.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

	private static final JsonMapper json = JsonMapper.builder().build();

	private final TestNamespace namespace;

	private final String queuePrefix;

	private final Connection connection;

	private final Channel channel;

	/**
	 * Create a new {@code RailsSubscriptions}.
	 * @param namespace the database schema and exchanges shared with the sample
	 * @param queuePrefix isimud's {@code queue_prefix} (the Rails application's name)
	 */
	RailsSubscriptions(TestNamespace namespace, String queuePrefix) {
		this.namespace = namespace;
		this.queuePrefix = queuePrefix;
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(LocalServices.RABBIT_HOST);
		factory.setPort(LocalServices.RABBIT_PORT);
		try {
			this.connection = factory.newConnection("rails-isimud-" + namespace.id());
			this.channel = this.connection.createChannel();
			this.channel.exchangeDeclare(namespace.eventsExchange(), "topic", true);
			this.channel.exchangeDeclare(namespace.modelsExchange(), "topic", true);
		}
		catch (IOException | TimeoutException ex) {
			throw new IllegalStateException("Could not connect to RabbitMQ as the Rails app", ex);
		}
	}

	/**
	 * isimud's queue for a row: the Rails application's own, never the sample's.
	 */
	String queue(long id) {
		return this.queuePrefix + ".subscription." + id;
	}

	/** {@code Subscription.create!(name:, enabled:, exchange_routing_keys:)}. */
	long create(String name, boolean enabled, List<String> keys) {
		LocalDateTime now = now();
		long id = this.namespace.queryForLong(
				"insert into subscriptions (name, enabled, exchange_routing_keys, " + "created_at, updated_at) values ("
						+ literal(name) + ", " + enabled + ", " + literal(ActiveRecordYamlColumn.dump(keys)) + ", "
						+ literal(now) + ", " + literal(now) + ") returning id");
		if (enabled) {
			createQueue(id, keys);
		}
		publishModelChange("create", id, name, enabled, keys, now, now);
		return id;
	}

	/** {@code subscription.update!(enabled:, exchange_routing_keys:)}. */
	void update(long id, boolean enabled, List<String> keys) {
		LocalDateTime now = now();
		this.namespace.sql("update subscriptions set enabled = " + enabled + ", exchange_routing_keys = "
				+ literal(ActiveRecordYamlColumn.dump(keys)) + ", updated_at = " + literal(now) + " where id = " + id);
		String name = this.namespace.queryForString("select name from subscriptions where id = " + id);
		LocalDateTime createdAt = LocalDateTime.parse(this.namespace.queryForString(
				"select to_char(created_at, 'YYYY-MM-DD\"T\"HH24:MI:SS.US') from subscriptions where id = " + id));
		// EventObserver#update_queue
		deleteQueue(id);
		if (enabled && !keys.isEmpty()) {
			createQueue(id, keys);
		}
		publishModelChange("update", id, name, enabled, keys, createdAt, now);
	}

	/**
	 * {@code Isimud::Event.new(type: :model, eventful:, action:).publish}, the event
	 * about {@code Type#id}: routing key {@code model.Type.id.action}.
	 */
	void publishEvent(String eventfulType, long eventfulId, String action) {
		String body = "{\"type\":\"model\",\"action\":\"" + action + "\",\"user_id\":null,\"occurred_at\":\""
				+ RAILS_JSON_TIME.format(now()) + "\",\"eventful_type\":\"" + eventfulType + "\",\"eventful_id\":"
				+ eventfulId + ",\"session_id\":null,\"parameters\":{},\"attributes\":null}";
		RawAmqp.publish(this.namespace.eventsExchange(), "model." + eventfulType + "." + eventfulId + "." + action,
				body.getBytes(StandardCharsets.UTF_8));
	}

	/** BunnyClient#create_queue: a durable queue, bound with each key. */
	private void createQueue(long id, List<String> keys) {
		try {
			this.channel.queueDeclare(queue(id), true, false, false, null);
			for (String key : keys) {
				this.channel.queueBind(queue(id), this.namespace.eventsExchange(), key);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("create_queue failed", ex);
		}
	}

	/** BunnyClient#delete_queue: the queue and its messages are gone. */
	private void deleteQueue(long id) {
		try {
			this.channel.queueDelete(queue(id));
		}
		catch (IOException ex) {
			throw new IllegalStateException("delete_queue failed", ex);
		}
	}

	private void publishModelChange(String action, long id, @Nullable String name, boolean enabled, List<String> keys,
			LocalDateTime createdAt, LocalDateTime updatedAt) {
		ObjectNode payload = json.createObjectNode();
		payload.put("schema", LocalServices.POSTGRES_DATABASE);
		payload.put("type", "Subscription");
		payload.put("action", action);
		payload.put("id", id);
		payload.put("timestamp", RAILS_JSON_TIME.format(updatedAt));
		ObjectNode attributes = payload.putObject("attributes");
		attributes.put("name", name);
		attributes.put("enabled", enabled);
		ArrayNode routingKeys = attributes.putArray("exchange_routing_keys");
		keys.forEach(routingKeys::add);
		attributes.put("created_at", RAILS_JSON_TIME.format(createdAt));
		attributes.put("updated_at", RAILS_JSON_TIME.format(updatedAt));
		RawAmqp.publish(this.namespace.modelsExchange(), LocalServices.POSTGRES_DATABASE + ".Subscription." + action,
				json.writeValueAsString(payload).getBytes(StandardCharsets.UTF_8));
	}

	private static String literal(@Nullable String text) {
		return (text != null) ? "'" + text.replace("'", "''") + "'" : "null";
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

}
