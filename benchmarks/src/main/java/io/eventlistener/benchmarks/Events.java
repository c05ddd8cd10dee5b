package io.eventlistener.benchmarks;

import java.nio.charset.StandardCharsets;

/**
 * The one message every contender consumes: an isimud event of exactly 1 KiB of JSON, its
 * publish time ({@link System#nanoTime()}, or -1) in {@code session_id}.
 */
final class Events {

	static final int SIZE = 1024;

	private static final String HEAD = "{\"type\":\"model\",\"action\":\"create\",\"user_id\":7,"
			+ "\"occurred_at\":\"2016-03-01T12:34:56.789Z\",\"eventful_type\":\"User\",\"eventful_id\":%d,"
			+ "\"session_id\":\"%d\",\"parameters\":{\"id\":%d,\"email\":\"ada@example.com\"},"
			+ "\"attributes\":{\"first_name\":\"Ada\",\"padding\":\"";

	private static final String TAIL = "\"}}";

	private Events() {
	}

	/**
	 * The body of an event about user {@code id}, stamped with {@code sentNanos}.
	 */
	static byte[] body(long id, long sentNanos) {
		String head = String.format(HEAD, id, sentNanos, id);
		int padding = SIZE - head.length() - TAIL.length();
		return (head + "x".repeat(Math.max(0, padding)) + TAIL).getBytes(StandardCharsets.US_ASCII);
	}

}
