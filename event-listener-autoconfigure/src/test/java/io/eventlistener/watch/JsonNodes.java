package io.eventlistener.watch;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

final class JsonNodes {

	private static final JsonMapper json = JsonMapper.builder().build();

	private JsonNodes() {
	}

	static JsonNode read(byte[] body) {
		return json.readTree(body);
	}

}
