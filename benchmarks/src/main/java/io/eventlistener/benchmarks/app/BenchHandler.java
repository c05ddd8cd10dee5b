package io.eventlistener.benchmarks.app;

import io.eventlistener.Event;
import io.eventlistener.EventHandler;

/**
 * The starter's handler: the trivial work, nothing else. The publisher's timestamp
 * travels in {@code session_id}.
 */
public class BenchHandler implements EventHandler<Subscriber> {

	private final DeliveryRecorder recorder;

	public BenchHandler(DeliveryRecorder recorder) {
		this.recorder = recorder;
	}

	@Override
	public void handle(Subscriber observer, Event event) {
		String sent = event.sessionId();
		this.recorder.delivered((sent != null) ? Long.parseLong(sent) : -1);
	}

}
