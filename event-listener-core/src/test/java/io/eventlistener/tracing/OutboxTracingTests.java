package io.eventlistener.tracing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link OutboxTracing} with a registry whose handler propagates as a tracing handler
 * does: what the store observation's handler writes is stored as text, and the send
 * observation's handler reads it back.
 */
class OutboxTracingTests {

	private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

	private static final String TRACESTATE = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7";

	private final List<Map<String, String>> received = new ArrayList<>();

	@Test
	void whatTheStoreObservationWritesTheSendObservationReads() {
		OutboxTracing tracing = new OutboxTracing(registry());
		String stored = tracing.capture();
		assertThat(stored).isEqualTo("traceparent=" + TRACEPARENT + "\ntracestate=" + TRACESTATE);
		List<String> sent = new ArrayList<>();
		tracing.sendIn(stored, () -> sent.add("sent"));
		assertThat(sent).containsExactly("sent");
		assertThat(this.received).containsExactly(Map.of("traceparent", TRACEPARENT, "tracestate", TRACESTATE));
	}

	@Test
	void withoutATracingHandlerNothingIsStoredAndTheSendRunsAsItIs() {
		OutboxTracing tracing = new OutboxTracing(ObservationRegistry.create());
		assertThat(tracing.capture()).isNull();
		assertThat(OutboxTracing.NONE.capture()).isNull();
		List<String> sent = new ArrayList<>();
		OutboxTracing.NONE.sendIn(null, () -> sent.add("sent"));
		assertThat(sent).containsExactly("sent");
	}

	private ObservationRegistry registry() {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			@SuppressWarnings("unchecked")
			public void onStart(Observation.Context context) {
				if (context instanceof SenderContext<?> sender) {
					SenderContext<Object> writing = (SenderContext<Object>) sender;
					writing.getSetter().set(writing.getCarrier(), "traceparent", TRACEPARENT);
					writing.getSetter().set(writing.getCarrier(), "tracestate", TRACESTATE);
				}
				if (context instanceof ReceiverContext<?> receiver) {
					ReceiverContext<Object> reading = (ReceiverContext<Object>) receiver;
					OutboxTracingTests.this.received
						.add(Map.of("traceparent", reading.getGetter().get(reading.getCarrier(), "traceparent"),
								"tracestate", reading.getGetter().get(reading.getCarrier(), "tracestate")));
				}
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

		});
		return registry;
	}

}
