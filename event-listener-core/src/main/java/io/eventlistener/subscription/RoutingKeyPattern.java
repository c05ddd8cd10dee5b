package io.eventlistener.subscription;

import org.springframework.util.Assert;

/**
 * A topic-exchange routing key compiled for matching in the process, with RabbitMQ's
 * rules: words between dots, {@code *} matches exactly one word and {@code #} zero or
 * more. The shared subscription queue receives what any open subscription's keys match;
 * this tells which subscriptions an event is for.
 */
final class RoutingKeyPattern {

	private static final String ONE = "*";

	private static final String ANY = "#";

	private final String pattern;

	private final String[] words;

	private RoutingKeyPattern(String pattern) {
		this.pattern = pattern;
		this.words = words(pattern);
	}

	/**
	 * Compile a routing key.
	 * @param pattern the binding's routing key, such as {@code model.Invoice.#}
	 * @return the pattern
	 */
	static RoutingKeyPattern compile(String pattern) {
		Assert.hasText(pattern, "A routing key must not be blank");
		return new RoutingKeyPattern(pattern);
	}

	String pattern() {
		return this.pattern;
	}

	/**
	 * Whether a delivered routing key matches, as the broker's topic binding does.
	 * @param routingKey the routing key an event was delivered with
	 * @return whether it matches
	 */
	boolean matches(String routingKey) {
		String[] key = words(routingKey);
		// matched[j]: the pattern's first i words match the key's first j words
		boolean[] matched = new boolean[key.length + 1];
		matched[0] = true;
		for (String word : this.words) {
			boolean[] next = new boolean[key.length + 1];
			if (ANY.equals(word)) {
				next[0] = matched[0];
				for (int j = 1; j <= key.length; j++) {
					next[j] = matched[j] || next[j - 1];
				}
			}
			else {
				for (int j = 1; j <= key.length; j++) {
					next[j] = matched[j - 1] && (ONE.equals(word) || word.equals(key[j - 1]));
				}
			}
			matched = next;
		}
		return matched[key.length];
	}

	private static String[] words(String key) {
		return key.isEmpty() ? new String[0] : key.split("\\.", -1);
	}

	@Override
	public String toString() {
		return this.pattern;
	}

}
