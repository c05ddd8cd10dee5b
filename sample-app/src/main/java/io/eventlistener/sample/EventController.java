package io.eventlistener.sample;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import io.eventlistener.Event;
import io.eventlistener.EventPublisher;
import io.eventlistener.EventReply;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code POST /events}: publishes an event in isimud's format. Every form isimud sends is
 * accepted: an event about a model ({@code eventfulType} and {@code eventfulId}, routing
 * key {@code type.eventfulType.eventfulId.action}) and one about nothing in particular
 * (isimud's {@code alert.raised}: routing key {@code type.action}). {@code type} defaults
 * to {@code model}, as in isimud. A request that is not such an event (no action, not
 * JSON, a field of the wrong kind, an id without its type) answers 400 with a
 * {@link ProblemDetail} that says why.
 */
@RestController
class EventController {

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

	private final EventPublisher publisher;

	EventController(EventPublisher publisher) {
		this.publisher = publisher;
	}

	@PostMapping("/events")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Map<String, String> publish(@RequestBody EventRequest request) {
		Event event = request.toEvent();
		this.publisher.publish(event);
		return Map.of("routingKey", event.routingKey());
	}

	/**
	 * {@code POST /events/batch}: publish a JSON array of events with
	 * {@link EventPublisher#publishAsync(Event)}, all sent before waiting once for the
	 * broker's confirms (at most the publisher's confirm timeout each); 202 with their
	 * routing keys once every one is confirmed.
	 * @param requests the events
	 * @return how many were confirmed, and their routing keys
	 */
	@PostMapping("/events/batch")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Map<String, Object> publishAll(@RequestBody List<EventRequest> requests) {
		List<Event> events = requests.stream().map(EventRequest::toEvent).toList();
		CompletableFuture<?>[] confirms = events.stream()
			.map(this.publisher::publishAsync)
			.toArray(CompletableFuture[]::new);
		try {
			CompletableFuture.allOf(confirms).get();
		}
		catch (ExecutionException ex) {
			throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, ex.getCause().getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "interrupted");
		}
		return Map.of("confirmed", events.size(), "routingKeys", events.stream().map(Event::routingKey).toList());
	}

	/**
	 * {@code POST /events/requests}: publish the event as a request and answer with the
	 * first subscription's reply and who replied (its publisher id), 504 when none came
	 * within 5 s, 502 when the handler failed or no subscription matches.
	 * @param request the event
	 * @return the routing key, the reply and the replier
	 */
	@PostMapping("/events/requests")
	Map<String, @Nullable Object> request(@RequestBody EventRequest request) {
		Event event = request.toEvent();
		try {
			EventReply reply = this.publisher.request(event, REQUEST_TIMEOUT).get();
			Map<String, @Nullable Object> answer = new LinkedHashMap<>();
			answer.put("routingKey", event.routingKey());
			answer.put("reply", reply.as(Map.class));
			answer.put("repliedBy", reply.publisherId());
			return answer;
		}
		catch (ExecutionException ex) {
			HttpStatus status = (ex.getCause() instanceof TimeoutException) ? HttpStatus.GATEWAY_TIMEOUT
					: HttpStatus.BAD_GATEWAY;
			throw new ResponseStatusException(status, ex.getCause().getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "interrupted");
		}
	}

	/**
	 * A body Jackson could not read: invalid JSON, or a field of the wrong kind. The
	 * detail names the field and what was wrong, without the Java types of the request.
	 * @param ex the failure
	 * @return the 400 problem
	 */
	@ExceptionHandler(HttpMessageNotReadableException.class)
	ProblemDetail unreadable(HttpMessageNotReadableException ex) {
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
		if (!(cause instanceof JacksonException json)) {
			return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "The body must be a JSON event");
		}
		String field = json.getPath()
			.stream()
			.map((reference) -> (reference.getPropertyName() != null) ? reference.getPropertyName()
					: "[" + reference.getIndex() + "]")
			.collect(Collectors.joining("."));
		String reason = StringUtils.hasText(field) ? "Field '" + field + "' has the wrong kind of value"
				: "The body is not valid JSON";
		return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, reason + ": " + json.getOriginalMessage());
	}

	/**
	 * An event to publish, with isimud's fields.
	 *
	 * @param type the event type, {@code model} when missing
	 * @param action the action, required: the last part of the routing key
	 * @param eventfulType the type of the object the event is about, or {@code null}
	 * @param eventfulId its id, given with {@code eventfulType}
	 * @param userId the user who caused it, or {@code null}
	 * @param parameters additional parameters, or {@code null}
	 * @param attributes the object's attributes, or {@code null}
	 */
	record EventRequest(@Nullable String type, @Nullable String action, @Nullable String eventfulType,
			@Nullable String eventfulId, @Nullable String userId, @Nullable Map<String, Object> parameters,
			@Nullable Map<String, Object> attributes) {

		Event toEvent() {
			if (!StringUtils.hasText(this.action)) {
				throw badRequest("'action' is required: an event's routing key ends with its action");
			}
			if ((this.eventfulType == null) != (this.eventfulId == null)) {
				throw badRequest("'eventfulType' and 'eventfulId' go together: give both, or neither for an "
						+ "event about no object (routing key type.action)");
			}
			Event.Builder event = Event.builder()
				.type(this.type)
				.action(this.action)
				.userId(this.userId)
				.parameters((this.parameters != null) ? this.parameters : Map.of())
				.attributes(this.attributes);
			if (this.eventfulType != null && this.eventfulId != null) {
				event.eventful(this.eventfulType, this.eventfulId);
			}
			return event.build();
		}

		private static ResponseStatusException badRequest(String reason) {
			return new ResponseStatusException(HttpStatus.BAD_REQUEST, reason);
		}

	}

}
