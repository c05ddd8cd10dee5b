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
	void routingKeyLeavesOutMissingPartsAsIsimudDoes() {
		assertThat(Event.builder().type("alert").action("raised").build().routingKey()).isEqualTo("alert.raised");
		assertThat(Event.builder().type(null).action("raised").build().routingKey()).isEqualTo("model.raised");
		// Ruby's compact drops nil, not "": isimud keeps empty parts
		assertThat(Event.builder().type("").eventful("User", 1).action("").build().routingKey()).isEqualTo(".User.1.");
	}

	@Test
	void aDeliveredEventKeepsTheRoutingKeyItWasDeliveredWith() {
		Event event = new Event("model", "create", null, null, "User", "1", null, Map.of(), null,
				"model.Invoice.78.create");
		assertThat(event.routingKey()).isEqualTo("model.Invoice.78.create");
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
