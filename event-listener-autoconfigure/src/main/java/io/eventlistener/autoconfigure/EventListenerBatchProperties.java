package io.eventlistener.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Batch handlers ({@code EventBatchHandler}), under {@code event-listener.batch}.
 */
@ConfigurationProperties("event-listener.batch")
public class EventListenerBatchProperties {

	/**
	 * The most events of one observer type handed to a batch handler at once.
	 */
	private int size = 100;

	/**
	 * How long the first event of a batch waits for more before the batch is handled with
	 * what arrived.
	 */
	private Duration timeout = Duration.ofMillis(100);

	public int getSize() {
		return this.size;
	}

	public void setSize(int size) {
		this.size = size;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

}
