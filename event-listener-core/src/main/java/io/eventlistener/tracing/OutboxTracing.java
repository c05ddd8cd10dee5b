package io.eventlistener.tracing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import org.jspecify.annotations.Nullable;

/**
 * Carries the publishing thread's trace across the outbox table, so that a message the
 * relay sends minutes later, from another thread or another process, continues the trace
 * of the request that stored it.
 * <p>
 * Storing a message is observed as a short sender observation
 * ({@value #STORE_OBSERVATION}): a tracing handler writes its trace context (W3C
 * {@code traceparent} and {@code tracestate}, or whatever the application's propagation
 * is) into a map, which {@link #capture} returns as text for the row's
 * {@code trace_context} column. Sending a stored message is observed as a receiver
 * observation ({@value #SEND_OBSERVATION}) whose parent a tracing handler reads back from
 * that text; the publisher's template observation inside it is its child and puts the
 * same trace in the message's headers. Without a tracing handler the map stays empty and
 * nothing is stored; without observations ({@link #NONE}) nothing is observed.
 */
public final class OutboxTracing {

	/** The observation of storing a message in the outbox table. */
	public static final String STORE_OBSERVATION = "event.listener.outbox.store";

	/** The observation of sending a stored message, after commit or by the relay. */
	public static final String SEND_OBSERVATION = "event.listener.outbox.send";

	/** No observations: nothing captured, sends run as they are. */
	public static final OutboxTracing NONE = new OutboxTracing(ObservationRegistry.NOOP);

	private final ObservationRegistry observations;

	/**
	 * Create a new {@code OutboxTracing}.
	 * @param observations the application's observation registry
	 */
	public OutboxTracing(ObservationRegistry observations) {
		this.observations = observations;
	}

	/**
	 * The current trace context, as the propagation headers of a new store span, one
	 * {@code name=value} a line.
	 * @return the text to store with the message, or {@code null} when there is no trace
	 */
	public @Nullable String capture() {
		if (this.observations.isNoop()) {
			return null;
		}
		SenderContext<Map<String, String>> context = new SenderContext<>(Map::put, Kind.PRODUCER);
		context.setCarrier(new LinkedHashMap<>());
		Observation.createNotStarted(STORE_OBSERVATION, () -> context, this.observations)
			.contextualName("outbox store")
			.observe(() -> {
			});
		Map<String, String> headers = context.getCarrier();
		return (headers == null || headers.isEmpty()) ? null : encode(headers);
	}

	/**
	 * Send a stored message in the trace it was stored in.
	 * @param traceContext what {@link #capture} returned, or {@code null}: then the send
	 * runs in whatever observation is current
	 * @param send sends the message
	 */
	public void sendIn(@Nullable String traceContext, Runnable send) {
		if (traceContext == null || this.observations.isNoop()) {
			send.run();
			return;
		}
		ReceiverContext<Map<String, String>> context = new ReceiverContext<>(Map::get, Kind.CONSUMER);
		context.setCarrier(decode(traceContext));
		Observation.createNotStarted(SEND_OBSERVATION, () -> context, this.observations)
			.contextualName("outbox send")
			.observe(send);
	}

	static String encode(Map<String, String> headers) {
		return headers.entrySet()
			.stream()
			.map((header) -> header.getKey() + "=" + header.getValue())
			.collect(Collectors.joining("\n"));
	}

	static Map<String, String> decode(String text) {
		Map<String, String> headers = new LinkedHashMap<>();
		for (String line : text.split("\n")) {
			int equals = line.indexOf('=');
			if (equals > 0) {
				headers.put(line.substring(0, equals), line.substring(equals + 1));
			}
		}
		return headers;
	}

}
