package io.eventlistener.wire;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.eventlistener.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Pins the event wire format against JSON written the way isimud 1.4.7 writes it
 * ({@code Isimud::Event#serialize} through ActiveSupport's {@code to_json}).
 */
class EventCodecTests {

	private final EventCodec codec = new EventCodec();

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void readsEveryFieldOfAnIsimudEvent() throws IOException {
		Event event = this.codec.read(fixture("isimud-event.json"));
		assertThat(event.type()).isEqualTo("model");
		assertThat(event.action()).isEqualTo("create");
		assertThat(event.userId()).isEqualTo("7");
		assertThat(event.occurredAt()).isEqualTo(Instant.parse("2016-03-01T12:34:56.789Z"));
		assertThat(event.eventfulType()).isEqualTo("User");
		assertThat(event.eventfulId()).isEqualTo("42");
		assertThat(event.sessionId()).isEqualTo("f81d4fae7dec11d0");
		assertThat(event.parameters()).containsEntry("id", 42)
			.containsEntry("email", "ada@example.com")
			.containsEntry("tags", List.of("a", "b"));
		assertThat(event.attributes()).containsEntry("first_name", "Ada")
			.containsEntry("login_count", 0)
			.containsEntry("company_id", null);
		assertThat(event.routingKey()).isEqualTo("model.User.42.create");
	}

	@Test
	void writesTheSameFieldsAndValuesAsIsimud() throws IOException {
		Map<String, Object> attributes = new LinkedHashMap<>();
		attributes.put("first_name", "Ada");
		attributes.put("login_count", 0);
		attributes.put("company_id", null);
		Event event = Event.builder()
			.action("create")
			.userId(7)
			.occurredAt(Instant.parse("2016-03-01T12:34:56.789Z"))
			.eventful("User", 42L)
			.sessionId("f81d4fae7dec11d0")
			.parameter("id", 42)
			.parameter("email", "ada@example.com")
			.parameter("tags", List.of("a", "b"))
			.attributes(attributes)
			.build();
		byte[] written = this.codec.write(event);
		assertThat(this.json.readTree(written)).isEqualTo(this.json.readTree(fixture("isimud-event.json")));
		assertThat(List.copyOf(this.json.readTree(written).propertyNames())).containsExactly("type", "action",
				"user_id", "occurred_at", "eventful_type", "eventful_id", "session_id", "parameters", "attributes");
	}

	@Test
	void missingFieldsAreNullUnknownFieldsIgnoredAndOffsetsNormalized() throws IOException {
		Event event = this.codec.read(fixture("isimud-event-minimal.json"));
		assertThat(event.type()).isEqualTo("billing");
		assertThat(event.action()).isNull();
		assertThat(event.eventfulId()).isNull();
		assertThat(event.attributes()).isNull();
		assertThat(event.parameters()).isEmpty();
		assertThat(event.occurredAt()).isEqualTo(Instant.parse("2016-03-01T12:34:56.789Z"));
		assertThat(event.routingKey()).isEqualTo("billing");
	}

	@Test
	void aDeliveredEventHasTheRoutingKeyItWasDeliveredWith() throws IOException {
		Event event = this.codec.read(fixture("isimud-event.json"), "model.Invoice.78.create");
		assertThat(event.routingKey()).isEqualTo("model.Invoice.78.create");
		assertThat(event.eventfulType()).isEqualTo("User");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{}", "{\"foo\":1}", "{\"Type\":\"model\"}" })
	void anObjectWithoutAnyEventFieldIsMalformed(String body) {
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> this.codec.read(body.getBytes()))
			.withMessageContaining("without any event field");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			{"action":"create","eventful_type":"User","eventful_id":1} | 'type' is missing
			{"type":null,"action":"create"}                            | 'type' is missing
			{"type":7,"action":"create"}                               | 'type' is not a string
			{"type":"model","action":true}                             | 'action' is not a string
			{"type":"model","action":["create"]}                       | 'action' is not a string
			{"type":"model","eventful_type":{"a":1}}                   | 'eventful_type' is not a string
			{"type":"model","eventful_id":1.5}                         | 'eventful_id' is not a string or a whole number
			{"type":"model","user_id":false}                           | 'user_id' is not a string or a whole number
			{"type":"model","session_id":[1]}                          | 'session_id' is not a string or a whole number
			{"type":"model","occurred_at":1456835696}                  | 'occurred_at' is not a string
			{"type":"model","attributes":"x"}                          | 'attributes' is not a JSON object
			""")
	void aKnownFieldOfTheWrongKindIsMalformed(String body, String reason) {
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> this.codec.read(body.getBytes()))
			.withMessageContaining(reason);
	}

	@Test
	void idsMayBeStringsOrWholeNumbersOfAnySize() {
		Event event = this.codec
			.read("{\"type\":\"model\",\"eventful_id\":123456789012345678901234,\"user_id\":\"u-1\",\"session_id\":9}"
				.getBytes());
		assertThat(event.eventfulId()).isEqualTo("123456789012345678901234");
		assertThat(event.userId()).isEqualTo("u-1");
		assertThat(event.sessionId()).isEqualTo("9");
	}

	@Test
	void nonNumericIdsStayStrings() {
		Event event = Event.builder().eventful("Device", "a1-b2").userId("u-9").action("ping").build();
		assertThat(this.json.readTree(this.codec.write(event)).get("eventful_id").isString()).isTrue();
		Event read = this.codec.read(this.codec.write(event));
		assertThat(read.eventfulId()).isEqualTo("a1-b2");
		assertThat(read.userId()).isEqualTo("u-9");
	}

	@Test
	void rejectsWhatIsNotAnEventWithTheReason() {
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> this.codec.read("{nope".getBytes()))
			.withMessageContaining("not JSON");
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> this.codec.read("[]".getBytes()))
			.withMessageContaining("not a JSON object");
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> this.codec.read("{\"type\":\"model\",\"parameters\": 3}".getBytes()))
			.withMessageContaining("'parameters'");
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> this.codec.read("{\"type\":\"model\",\"occurred_at\": \"yesterday\"}".getBytes()))
			.withMessageContaining("'occurred_at'");
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> this.codec.read("{\"type\": {\"a\": 1}}".getBytes()))
			.withMessageContaining("'type'");
	}

	private static byte[] fixture(String name) throws IOException {
		try (InputStream in = EventCodecTests.class.getResourceAsStream("/wire/" + name)) {
			return in.readAllBytes();
		}
	}

	@Test
	void readsIsimudTimesOnTheFastPathAndOtherOffsetsOnTheGeneralOne() {
		assertThat(EventCodec.utcMillis("2016-03-01T12:34:56.789Z"))
			.isEqualTo(Instant.parse("2016-03-01T12:34:56.789Z"));
		assertThat(EventCodec.utcMillis("2016-02-30T12:34:56.789Z")).isNull();
		assertThat(EventCodec.utcMillis("2016-03-01T12:34:56.789+01:00")).isNull();
		assertThat(EventCodec.utcMillis("2016-03-01T12:34:56Z")).isNull();
		Event event = new EventCodec()
			.read("{\"type\":\"model\",\"occurred_at\":\"2016-03-01T12:34:56+01:00\"}".getBytes());
		assertThat(event.occurredAt()).isEqualTo(Instant.parse("2016-03-01T11:34:56Z"));
	}

}
