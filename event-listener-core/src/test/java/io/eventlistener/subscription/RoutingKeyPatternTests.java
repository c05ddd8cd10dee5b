package io.eventlistener.subscription;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The in-process matcher agrees with RabbitMQ's topic exchange on isimud's keys.
 */
class RoutingKeyPatternTests {

	@Test
	void aLiteralKeyMatchesOnlyItself() {
		RoutingKeyPattern pattern = RoutingKeyPattern.compile("model.Invoice.7.create");
		assertThat(pattern.matches("model.Invoice.7.create")).isTrue();
		assertThat(pattern.matches("model.Invoice.7.update")).isFalse();
		assertThat(pattern.matches("model.Invoice.7")).isFalse();
		assertThat(pattern.matches("model.Invoice.7.create.more")).isFalse();
	}

	@Test
	void aStarMatchesExactlyOneWord() {
		RoutingKeyPattern pattern = RoutingKeyPattern.compile("model.User.*.create");
		assertThat(pattern.matches("model.User.42.create")).isTrue();
		assertThat(pattern.matches("model.User.create")).isFalse();
		assertThat(pattern.matches("model.User.4.2.create")).isFalse();
		assertThat(pattern.matches("model.User..create")).isTrue();
	}

	@Test
	void aHashMatchesZeroOrMoreWords() {
		RoutingKeyPattern pattern = RoutingKeyPattern.compile("model.Invoice.#");
		assertThat(pattern.matches("model.Invoice")).isTrue();
		assertThat(pattern.matches("model.Invoice.78.create")).isTrue();
		assertThat(pattern.matches("model.Invoices.78.create")).isFalse();
		assertThat(pattern.matches("alert.Invoice.78")).isFalse();
	}

	@Test
	void hashesAndStarsCombine() {
		assertThat(RoutingKeyPattern.compile("#").matches("anything.at.all")).isTrue();
		assertThat(RoutingKeyPattern.compile("#.create").matches("model.User.1.create")).isTrue();
		assertThat(RoutingKeyPattern.compile("#.create").matches("model.User.1.update")).isFalse();
		assertThat(RoutingKeyPattern.compile("*.#.create").matches("create")).isFalse();
		assertThat(RoutingKeyPattern.compile("model.#.*.create").matches("model.x.create")).isTrue();
		assertThat(RoutingKeyPattern.compile("#.#").matches("a")).isTrue();
		assertThat(RoutingKeyPattern.compile("alert.*").matches("alert.raised")).isTrue();
	}

	@Test
	void aBlankKeyIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> RoutingKeyPattern.compile(" "));
	}

}
