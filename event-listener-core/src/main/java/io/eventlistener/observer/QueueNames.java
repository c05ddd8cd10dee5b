package io.eventlistener.observer;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

import io.eventlistener.DeliveryMode;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Names the durable observer queues as isimud does:
 * {@code {prefix}.{type_in_snake_case}.{id}}, so a Rails app and a Spring app that share
 * a prefix share the queues. A {@link DeliveryMode#BROADCAST broadcast} type's queues are
 * this process's own: {@code {prefix}.{type_in_snake_case}.{id}.{instance id}}.
 */
public final class QueueNames {

	private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9_.:-]");

	private final String prefix;

	private final String instanceId;

	/**
	 * Names for a process with a random instance id.
	 * @param prefix the queue prefix, usually the application name
	 */
	public QueueNames(String prefix) {
		this(prefix, randomInstanceId(prefix));
	}

	/**
	 * Create a new {@code QueueNames}.
	 * @param prefix the queue prefix, usually the application name
	 * @param instanceId this process's id in the names of its broadcast queues; other
	 * characters than letters, digits and {@code _ . : -} become {@code _}
	 */
	public QueueNames(String prefix, String instanceId) {
		Assert.hasText(prefix, "Queue prefix must not be empty");
		Assert.hasText(instanceId, "Instance id must not be empty");
		this.prefix = prefix;
		this.instanceId = UNSAFE.matcher(instanceId).replaceAll("_");
	}

	/**
	 * Names with the given instance id, or a random one.
	 * @param prefix the queue prefix, usually the application name
	 * @param instanceId this process's id, or {@code null} or blank for a random one
	 * @return the names
	 */
	public static QueueNames of(String prefix, @Nullable String instanceId) {
		return StringUtils.hasText(instanceId) ? new QueueNames(prefix, instanceId) : new QueueNames(prefix);
	}

	/**
	 * A fresh instance id: the application's name and a random part, unique per process.
	 * @param application the application's name (or queue prefix)
	 * @return the id
	 */
	public static String randomInstanceId(String application) {
		return application + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	public String prefix() {
		return this.prefix;
	}

	/**
	 * This process's id in the names of its broadcast queues.
	 * @return the instance id
	 */
	public String instanceId() {
		return this.instanceId;
	}

	/**
	 * The queue of one observer row: shared by every instance, or this process's own for
	 * a broadcast type.
	 * @param type the observer type
	 * @param id the row's id
	 * @return the queue name
	 */
	public String observerQueue(ObserverType<?> type, Object id) {
		String shared = this.prefix + "." + type.snakeCaseName() + "." + id;
		return (type.delivery() == DeliveryMode.BROADCAST) ? instanceQueue(shared) : shared;
	}

	/**
	 * This process's own copy of a queue, for broadcast delivery.
	 * @param queue the shared queue's name
	 * @return {@code {queue}.{instance id}}
	 */
	public String instanceQueue(String queue) {
		return queue + "." + this.instanceId;
	}

	/**
	 * ActiveSupport's {@code underscore} for a plain class name: {@code SubscriptionPlan}
	 * becomes {@code subscription_plan}, {@code HTTPClient} becomes {@code http_client}.
	 * @param name a class name
	 * @return the snake_case name
	 */
	public static String snakeCase(String name) {
		String words = name.replaceAll("([A-Z\\d]+)([A-Z][a-z])", "$1_$2").replaceAll("([a-z\\d])([A-Z])", "$1_$2");
		return words.replace('-', '_').toLowerCase(Locale.ROOT);
	}

}
