package io.eventlistener.subscription;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BrokerEventSubscriptionsQueueNameTests {

	@Test
	void uniqueQueueNameIsThePrefixAndARandomPartPerCall() {
		String first = BrokerEventSubscriptions.uniqueQueueName("shop");
		assertThat(first).matches("shop\\.subscriptions\\.[0-9a-f]{32}");
		assertThat(BrokerEventSubscriptions.uniqueQueueName("shop")).isNotEqualTo(first);
	}

}
