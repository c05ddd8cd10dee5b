package io.eventlistener.inbox;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which id the inbox records for a delivery.
 */
class InboxKeyTests {

	@Test
	void theMessageIdWhenThereIsOne() {
		Message message = message("model.Company.1.create", "{}", "events:model.Company.1.create:7:1765101234:5");
		assertThat(InboxKey.of(message))
			.isEqualTo(new InboxKey("q.company.1", "events:model.Company.1.create:7:1765101234:5"));
	}

	@Test
	void aDigestOfRoutingKeyAndBodyWithout() {
		String id = InboxKey.deliveryId(message("a.b", "{\"type\":\"a\"}", null));
		assertThat(id).startsWith(InboxKey.DIGEST).hasSize(InboxKey.DIGEST.length() + 64);
		assertThat(InboxKey.deliveryId(message("a.b", "{\"type\":\"a\"}", ""))).isEqualTo(id);
		assertThat(InboxKey.deliveryId(message("a.c", "{\"type\":\"a\"}", null))).isNotEqualTo(id);
		assertThat(InboxKey.deliveryId(message("a.b", "{\"type\":\"b\"}", null))).isNotEqualTo(id);
	}

	@Test
	void theRoutingKeyAndBodyCannotTradeBytes() {
		assertThat(InboxKey.deliveryId(message("a.b", "c", null)))
			.isNotEqualTo(InboxKey.deliveryId(message("a.", "bc", null)));
	}

	@Test
	void aMessageIdTooLongForTheColumnIsDigested() {
		String id = InboxKey.deliveryId(message("a", "{}", "x".repeat(InboxKey.MAX_ID + 1)));
		assertThat(id).startsWith(InboxKey.DIGEST).hasSizeLessThanOrEqualTo(255);
		assertThat(InboxKey.deliveryId(message("a", "{}", "x".repeat(InboxKey.MAX_ID)))).hasSize(InboxKey.MAX_ID);
	}

	private static Message message(String routingKey, String body, String messageId) {
		MessageProperties properties = new MessageProperties();
		properties.setReceivedRoutingKey(routingKey);
		properties.setConsumerQueue("q.company.1");
		properties.setMessageId(messageId);
		return new Message(body.getBytes(StandardCharsets.UTF_8), properties);
	}

}
