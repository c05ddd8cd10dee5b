package io.eventlistener;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The answer to a {@link EventPublisher#request request}: the JSON a reply handler
 * returned, and who sent it.
 *
 * @param body the reply's JSON body
 * @param publisherId the replier's publisher id (its {@code app_id}), or {@code null}
 */
public record EventReply(byte[] body, @Nullable String publisherId) {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	/**
	 * Read the body as a type.
	 * @param <T> the type
	 * @param type the type
	 * @return the reply
	 */
	public <T> T as(Class<T> type) {
		return MAPPER.readValue(this.body, type);
	}

}
