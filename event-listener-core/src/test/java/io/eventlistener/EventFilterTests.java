package io.eventlistener;

import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EventFilterTests {

	private final Event event = Event.builder()
		.action("update")
		.eventful("User", 42)
		.userId(7)
		.parameter("plan", "gold")
		.parameter("seats", 10)
		.attributes(Map.of("address", Map.of("country", "DE")))
		.build();

	@Test
	void everyConditionMustHold() {
		EventFilter filter = EventFilter.builder()
			.field("type", "model")
			.field("action", Pattern.compile("create|update"))
			.field("eventful_type", "User")
			.field("user_id", "7")
			.field("parameters.plan", "silver", "gold")
			.field("attributes.address.country", "DE")
			.build();
		assertThat(filter.matches(this.event, null)).isTrue();
		assertThat(EventFilter.builder()
			.field("action", "update")
			.field("parameters.plan", "silver")
			.build()
			.matches(this.event, null)).isFalse();
	}

	@Test
	void patternMustMatchTheWholeValue() {
		assertThat(EventFilter.builder().fieldMatching("action", "upd").build().matches(this.event, null)).isFalse();
		assertThat(EventFilter.builder().fieldMatching("action", "upd.*").build().matches(this.event, null)).isTrue();
	}

	@Test
	void numbersAreComparedAsText() {
		assertThat(EventFilter.builder().field("parameters.seats", "10").build().matches(this.event, null)).isTrue();
		assertThat(EventFilter.builder().field("eventful_id", "42").build().matches(this.event, null)).isTrue();
	}

	@Test
	void missingFieldMatchesNothing() {
		assertThat(EventFilter.builder().field("parameters.none", "x").build().matches(this.event, null)).isFalse();
		assertThat(
				EventFilter.builder().field("attributes.address.country.code", "DE").build().matches(this.event, null))
			.isFalse();
		assertThat(EventFilter.builder()
			.field("attributes.address", Pattern.compile(".*"))
			.build()
			.matches(this.event, null)).as("a map is no value").isFalse();
		assertThat(EventFilter.builder().field("session_id", Pattern.compile(".*")).build().matches(this.event, null))
			.isFalse();
	}

	@Test
	void publisherIdIsMatchedWhenPresent() {
		EventFilter filter = EventFilter.builder().field("publisher_id", "billing").build();
		assertThat(filter.matches(this.event, "billing")).isTrue();
		assertThat(filter.matches(this.event, "shop")).isFalse();
		assertThat(filter.matches(this.event, null)).isFalse();
	}

	@Test
	void unknownFieldIsRefusedWhenBuilt() {
		assertThatIllegalArgumentException().isThrownBy(() -> EventFilter.builder().field("eventfulType", "User"))
			.withMessageContaining("Unknown event field 'eventfulType'");
		assertThatIllegalArgumentException().isThrownBy(() -> EventFilter.builder().field("parameters.", "x"));
		assertThatIllegalArgumentException().isThrownBy(() -> EventFilter.builder().field("action"));
	}

	@Test
	void noConditionIsAll() {
		assertThat(EventFilter.builder().build()).isSameAs(EventFilter.all());
		assertThat(EventFilter.all().matches(this.event, null)).isTrue();
	}

}
