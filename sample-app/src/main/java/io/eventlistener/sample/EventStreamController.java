package io.eventlistener.sample;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;

import io.eventlistener.Event;
import io.eventlistener.EventSubscription;
import io.eventlistener.EventSubscriptions;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /events/stream?key=model.Invoice.#}: the events as they arrive, as
 * Server-Sent Events, over an in-process {@link EventSubscription} (one per stream,
 * closed when the client goes). Named events: {@code subscribed} once the subscription's
 * bindings are in place, {@code event} for each event, then {@code shutdown} when the
 * application stops (or {@code overflow} when the client fell too far behind).
 */
@RestController
class EventStreamController {

	private final EventSubscriptions subscriptions;

	EventStreamController(EventSubscriptions subscriptions) {
		this.subscriptions = subscriptions;
	}

	@GetMapping(path = "/events/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter stream(@RequestParam(name = "key", defaultValue = "#") List<String> keys) throws IOException {
		// no timeout: the stream lasts until the client or the application goes
		SseEmitter emitter = new SseEmitter(0L);
		EventSubscription subscription = this.subscriptions.subscribe(keys);
		emitter.onCompletion(subscription::close);
		emitter.onTimeout(subscription::close);
		emitter.onError((ex) -> subscription.close());
		emitter.send(SseEmitter.event().name("subscribed").data(Map.of("routingKeys", subscription.routingKeys())));
		subscription.publisher().subscribe(new Forwarder(subscription, emitter));
		return emitter;
	}

	/**
	 * Sends each event, asking for the next one only once it is written: a slow client
	 * fills its subscription's buffer, not the server's memory.
	 */
	private static final class Forwarder implements Flow.Subscriber<Event> {

		private final EventSubscription subscription;

		private final SseEmitter emitter;

		private Flow.@Nullable Subscription demand;

		Forwarder(EventSubscription subscription, SseEmitter emitter) {
			this.subscription = subscription;
			this.emitter = emitter;
		}

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			this.demand = subscription;
			subscription.request(1);
		}

		@Override
		public void onNext(Event event) {
			if (send("event", view(event)) && this.demand != null) {
				this.demand.request(1);
			}
		}

		@Override
		public void onError(Throwable error) {
			send("overflow", Map.of("reason", String.valueOf(error.getMessage())));
			this.emitter.complete();
		}

		@Override
		public void onComplete() {
			EventSubscription.End end = this.subscription.end();
			if (end != null && end.reason() == EventSubscription.Reason.SHUTDOWN) {
				send("shutdown", Map.of("reason", end.message()));
			}
			this.emitter.complete();
		}

		private boolean send(String name, Object data) {
			try {
				this.emitter.send(SseEmitter.event().name(name).data(data, MediaType.APPLICATION_JSON));
				return true;
			}
			catch (IOException | IllegalStateException ex) {
				// the client went away
				this.subscription.close();
				return false;
			}
		}

		private static Map<String, @Nullable Object> view(Event event) {
			Map<String, @Nullable Object> view = new LinkedHashMap<>();
			view.put("routingKey", event.routingKey());
			view.put("type", event.type());
			view.put("action", event.action());
			view.put("eventfulType", event.eventfulType());
			view.put("eventfulId", event.eventfulId());
			view.put("userId", event.userId());
			Instant occurredAt = event.occurredAt();
			view.put("occurredAt", (occurredAt != null) ? occurredAt.toString() : null);
			return view;
		}

	}

}
