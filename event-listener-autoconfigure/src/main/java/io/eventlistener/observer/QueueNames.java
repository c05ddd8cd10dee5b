package io.eventlistener.observer;

import java.util.Locale;

import org.springframework.util.Assert;

/**
 * Names the durable observer queues as isimud does:
 * {@code {prefix}.{type_in_snake_case}.{id}}, so a Rails app and a Spring app that share
 * a prefix share the queues.
 */
public final class QueueNames {

	private final String prefix;

	/**
	 * Create a new {@code QueueNames}.
	 * @param prefix the queue prefix, usually the application name
	 */
	public QueueNames(String prefix) {
		Assert.hasText(prefix, "Queue prefix must not be empty");
		this.prefix = prefix;
	}

	public String prefix() {
		return this.prefix;
	}

	/**
	 * The queue of one observer row.
	 * @param type the observer type
	 * @param id the row's id
	 * @return the queue name
	 */
	public String observerQueue(ObserverType<?> type, Object id) {
		return this.prefix + "." + type.snakeCaseName() + "." + id;
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
