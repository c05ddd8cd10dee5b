package io.eventlistener;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class EventTests {

	@Test
	void routingKeyIsTypeEventfulTypeIdAndAction() {
		assertThat(Event.builder().eventful("User", 42).action("create").build().routingKey())
			.isEqualTo("model.User.42.create");
	}

	@Test
	void routingKeyLeavesOutMissingAndEmptyParts() {
		assertThat(Event.builder().type("billing").action("close").build().routingKey()).isEqualTo("billing.close");
		assertThat(Event.builder().type("").eventful("User", 1).action("").build().routingKey()).isEqualTo("User.1");
	}

	@Test
	void parametersAreCopiedAndReadOnly() {
		Map<String, Object> parameters = new HashMap<>();
		parameters.put("a", 1);
		Event event = Event.builder().parameters(parameters).build();
		parameters.put("b", 2);
		assertThat(event.parameters()).containsOnlyKeys("a");
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> event.parameters().put("c", 3));
	}

}
