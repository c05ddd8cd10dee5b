package io.eventlistener.registry;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Queue types and their declaration arguments.
 */
class QueueArgumentsTests {

	@Test
	void classicQueuesAreDeclaredWithoutArgumentsSoIsimudsQueuesStillAgree() {
		assertThat(QueueArguments.CLASSIC.asMap()).isEmpty();
		assertThat(new QueueArguments(QueueType.CLASSIC, null, null, "app.dead-letter").asMap()).isEmpty();
	}

	@Test
	void quorumQueuesCarryTheirTypeLimitGroupSizeAndDeadLetterExchange() {
		QueueArguments quorum = new QueueArguments(QueueType.QUORUM, 5, 3, "app.dead-letter");
		assertThat(quorum.asMap()).isEqualTo(Map.of("x-queue-type", "quorum", "x-delivery-limit", 5,
				"x-quorum-initial-group-size", 3, "x-dead-letter-exchange", "app.dead-letter"));
		assertThat(quorum.withoutDeadLetterExchange().asMap()).doesNotContainKey("x-dead-letter-exchange");
		assertThat(new QueueArguments(QueueType.QUORUM, null, null, null).asMap())
			.isEqualTo(Map.of("x-queue-type", "quorum"));
	}

	@Test
	void quorumArgumentsOnClassicQueuesAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new QueueArguments(QueueType.CLASSIC, 5, null, null))
			.withMessageContaining("quorum queues only");
		assertThatIllegalArgumentException().isThrownBy(() -> new QueueArguments(QueueType.QUORUM, 0, null, null))
			.withMessageContaining("positive");
	}

}
