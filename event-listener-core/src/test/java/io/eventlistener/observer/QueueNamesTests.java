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

}
