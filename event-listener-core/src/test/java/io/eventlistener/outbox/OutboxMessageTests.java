package io.eventlistener.outbox;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ordering key: the object a message is about, as the publisher names it, always
 * short enough for its column.
 */
class OutboxMessageTests {

	@Test
	void theKeyIsTheObjectsTypeAndId() {
		assertThat(OutboxMessage.orderingKey("Order", "42")).isEqualTo("Order#42");
	}

	@Test
	void aMessageAboutNoObjectHasNoKey() {
		assertThat(OutboxMessage.orderingKey(null, "42")).isNull();
		assertThat(OutboxMessage.orderingKey("Order", null)).isNull();
	}

	@Test
	void aLongKeyIsStoredAsItsDigestWhichStillTellsObjectsApart() {
		String id = "x".repeat(300);
		String key = OutboxMessage.orderingKey("Order", id);
		assertThat(key).startsWith("sha256:").hasSize("sha256:".length() + 64);
		assertThat(key).isEqualTo(OutboxMessage.orderingKey("Order", id))
			.isNotEqualTo(OutboxMessage.orderingKey("Order", id + "y"));
		assertThat(OutboxMessage.orderingKey("Order", "x".repeat(OutboxMessage.MAX_ORDERING_KEY - 6)))
			.as("the longest key kept as it is")
			.hasSize(OutboxMessage.MAX_ORDERING_KEY);
	}

}
