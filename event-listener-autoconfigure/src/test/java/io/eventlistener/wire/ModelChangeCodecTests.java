package io.eventlistener.wire;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Pins the model-watcher wire format against JSON written the way isimud 1.4.7's
 * {@code ModelWatcher#isimud_send_action_message} writes it ({@code payload.to_json}).
 */
class ModelChangeCodecTests {

	private final ModelChangeCodec codec = new ModelChangeCodec();

	@Test
	void writesByteForByteWhatIsimudWrites() throws IOException {
		Map<String, Object> attributes = new LinkedHashMap<>();
		attributes.put("key", "dXNlci00Mg==\n");
		attributes.put("login_count", 1);
		ModelChange change = new ModelChange("test_schema", "User", "update", "42",
				Instant.parse("2016-03-01T12:34:56.789Z"), attributes);
		assertThat(new String(this.codec.write(change), StandardCharsets.UTF_8))
			.isEqualTo(new String(fixture("isimud-model-update.json"), StandardCharsets.UTF_8));
		assertThat(change.routingKey()).isEqualTo("test_schema.User.update");
	}

	@Test
	void readsWhatIsimudWrites() throws IOException {
		ModelChange change = this.codec.read(fixture("isimud-model-create-company.json"));
		assertThat(change.schema()).isEqualTo("billing");
		assertThat(change.type()).isEqualTo("Company");
		assertThat(change.action()).isEqualTo("create");
		assertThat(change.id()).isEqualTo("7");
		assertThat(change.timestamp()).isEqualTo(Instant.parse("2016-03-01T12:34:56.789Z"));
		assertThat(change.attributes()).containsEntry("name", "Google")
			.containsEntry("active", true)
			.containsEntry("description", null);
		assertThat(change.routingKey()).isEqualTo("billing.Company.create");
	}

	@Test
	void nonIsoTimestampIsReadAsNullAndUnknownFieldsAreIgnored() {
		ModelChange change = this.codec
			.read(("{\"schema\":\"s\",\"type\":\"Company\",\"action\":\"destroy\",\"id\":\"9\","
					+ "\"timestamp\":\"2016/03/01 12:34:56 +0000\",\"added_later\":[1]}")
				.getBytes(StandardCharsets.UTF_8));
		assertThat(change.id()).isEqualTo("9");
		assertThat(change.timestamp()).isNull();
		assertThat(change.attributes()).isEmpty();
	}

	@Test
	void uuidIdsTravelAsStrings() {
		ModelChange change = new ModelChange("s", "Company", "create", "0b8e2cbe-4f6e-4f44-9d52-3e7c1d8c2a10", null,
				Map.of());
		assertThat(new String(this.codec.write(change), StandardCharsets.UTF_8))
			.contains("\"id\":\"0b8e2cbe-4f6e-4f44-9d52-3e7c1d8c2a10\"")
			.contains("\"timestamp\":null");
	}

	@Test
	void rejectsBodiesThatAreNotObjects() {
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> this.codec.read("[1]".getBytes()));
		assertThatExceptionOfType(MalformedMessageException.class)
			.isThrownBy(() -> this.codec.read("{\"attributes\":[]}".getBytes()))
			.withMessageContaining("attributes");
	}

	private byte[] fixture(String name) throws IOException {
		try (InputStream in = getClass().getResourceAsStream("/wire/" + name)) {
			return in.readAllBytes();
		}
	}

}
