package io.eventlistener.tracing;

import java.util.List;
import java.util.Map;

import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;

/**
 * A batch's span, with a link to each event's trace, as OpenTelemetry's messaging
 * conventions draw a batch receive: the span ({@code "<type> process"}, a consumer span)
 * is where the batch handler runs, and each event that arrived with a trace context (W3C
 * {@code traceparent}, or whatever the propagator reads) gets a short
 * {@code "<type> receive"} span in its own trace that the batch span links to.
 * Micrometer's Observation API has no links, so this one piece speaks Micrometer Tracing.
 */
public final class LinkedBatchSpans implements BatchTracing {

	private final Tracer tracer;

	private final Propagator propagator;

	/**
	 * Create a new {@code LinkedBatchSpans}.
	 * @param tracer makes the spans
	 * @param propagator reads the events' trace contexts from their headers
	 */
	public LinkedBatchSpans(Tracer tracer, Propagator propagator) {
		this.tracer = tracer;
		this.propagator = propagator;
	}

	@Override
	public void trace(String name, List<Message> batch, Handling handling) throws Exception {
		Span.Builder builder = this.tracer.spanBuilder().name(name + " process").kind(Span.Kind.CONSUMER);
		for (Message message : batch) {
			Map<String, Object> headers = message.getMessageProperties().getHeaders();
			if (this.propagator.fields().stream().anyMatch(headers::containsKey)) {
				Span received = this.propagator.extract(headers, LinkedBatchSpans::header)
					.name(name + " receive")
					.kind(Span.Kind.CONSUMER)
					.start();
				received.end();
				builder.addLink(new Link(received.context()));
			}
		}
		Span span = builder.tag("messaging.batch.message_count", batch.size()).start();
		try (Tracer.SpanInScope scope = this.tracer.withSpan(span)) {
			handling.run();
		}
		catch (Exception | Error ex) {
			span.error(ex);
			throw ex;
		}
		finally {
			span.end();
		}
	}

	private static @Nullable String header(Map<String, Object> headers, String name) {
		Object value = headers.get(name);
		return (value != null) ? value.toString() : null;
	}

}
