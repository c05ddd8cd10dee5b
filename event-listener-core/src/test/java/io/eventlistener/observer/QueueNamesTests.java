package io.eventlistener.observer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class QueueNamesTests {

	@Test
	void snakeCaseFollowsActiveSupportUnderscore() {
		assertThat(QueueNames.snakeCase("Company")).isEqualTo("company");
		assertThat(QueueNames.snakeCase("SubscriptionPlan")).isEqualTo("subscription_plan");
		assertThat(QueueNames.snakeCase("HTTPClient")).isEqualTo("http_client");
		assertThat(QueueNames.snakeCase("Oauth2Token")).isEqualTo("oauth2_token");
	}

	@Test
	void queuePrefixIsRequired() {
		assertThatIllegalArgumentException().isThrownBy(() -> new QueueNames(" "));
	}

	@Test
	void aBlankInstanceIdIsReplacedByARandomOne() {
		assertThat(QueueNames.of("billing", "pod-1").instanceId()).isEqualTo("pod-1");
		assertThat(QueueNames.of("billing", " ").instanceId()).startsWith("billing-").hasSize("billing-".length() + 8);
		assertThat(QueueNames.of("billing", null).instanceId())
			.isNotEqualTo(QueueNames.of("billing", null).instanceId());
	}

}
