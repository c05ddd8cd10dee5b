package io.eventlistener.testsupport;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;

import org.springframework.context.annotation.Bean;

/**
 * An in-memory tracer for an application under test, as an application that traces has
 * one: Micrometer Tracing's OpenTelemetry bridge ({@code Tracer} and {@code Propagator}
 * beans, W3C trace context, every trace sampled) and its tracing handlers in Boot's
 * observation registry; each finished span is kept by the SDK's
 * {@link InMemorySpanExporter}. Not a scanned configuration: an application gets it only
 * with {@link #SOURCE}.
 */
public class InMemoryTracing {

	/** The setting that adds these beans to an application. */
	public static final String SOURCE = "spring.main.sources=" + InMemoryTracing.class.getName();

	private static final String SCOPE = "event-listener-test";

	@Bean
	InMemorySpanExporter spans() {
		return InMemorySpanExporter.create();
	}

	@Bean
	SdkTracerProvider tracerProvider(InMemorySpanExporter spans) {
		return SdkTracerProvider.builder()
			.setSampler(Sampler.alwaysOn())
			.addSpanProcessor(SimpleSpanProcessor.create(spans))
			.build();
	}

	@Bean
	OtelTracer tracer(SdkTracerProvider tracerProvider) {
		return new OtelTracer(tracerProvider.get(SCOPE), new OtelCurrentTraceContext(), (event) -> {
		});
	}

	@Bean
	OtelPropagator propagator(SdkTracerProvider tracerProvider) {
		return new OtelPropagator(ContextPropagators.create(W3CTraceContextPropagator.getInstance()),
				tracerProvider.get(SCOPE));
	}

	/** The handlers Boot's tracing auto-configuration registers, in its order. */
	@Bean
	ObservationHandler<Observation.Context> tracingObservationHandler(OtelTracer tracer, OtelPropagator propagator) {
		return new ObservationHandler.FirstMatchingCompositeObservationHandler(
				new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
				new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
				new DefaultTracingObservationHandler(tracer));
	}

}
