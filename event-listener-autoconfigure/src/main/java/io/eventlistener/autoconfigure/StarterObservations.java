package io.eventlistener.autoconfigure;

import java.util.function.Consumer;

import io.eventlistener.tracing.BatchTracing;
import io.eventlistener.tracing.LinkedBatchSpans;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Whether the starter's own templates and consumers are observed: when
 * {@value #OBSERVATION_ENABLED} is on, or by default when the application traces (a
 * Micrometer Tracing {@code Tracer} bean, {@code event-listener.tracing.enabled}). Only
 * the starter's own: the application's templates and containers keep Boot's
 * {@code spring.rabbitmq.*.observation-enabled}, which nothing here reads or changes.
 */
final class StarterObservations {

	/**
	 * Switches Spring AMQP's observations on for the starter's own templates and
	 * consumers.
	 */
	static final String OBSERVATION_ENABLED = "event-listener.observation.enabled";

	/** Boot's setting that switches listener observations on. */
	private static final String LISTENER_OBSERVATION_ENABLED = "spring.rabbitmq.listener.direct.observation-enabled";

	private static final String TRACER = "io.micrometer.tracing.Tracer";

	private StarterObservations() {
	}

	/**
	 * Whether the application traces and the starter joins in.
	 */
	static boolean tracing(ListableBeanFactory beans) {
		return beans.getBean(EventListenerProperties.class).getTracing().isEnabled()
				&& ClassUtils.isPresent(TRACER, StarterObservations.class.getClassLoader()) && Tracing.hasTracer(beans);
	}

	/**
	 * Whether the starter's own templates and consumers are observed.
	 */
	static boolean observed(ListableBeanFactory beans, Environment environment) {
		return environment.getProperty(OBSERVATION_ENABLED, Boolean.class, false) || tracing(beans);
	}

	/**
	 * The registry the starter's own sends and deliveries are observed in, or
	 * {@code null} when they are not.
	 */
	static @Nullable ObservationRegistry registry(ListableBeanFactory beans, Environment environment) {
		return observed(beans, environment) ? beans.getBeanProvider(ObservationRegistry.class).getIfAvailable() : null;
	}

	/**
	 * The registry the starter's deliveries are observed in, as Spring AMQP observes a
	 * container's: when its own are observed or Boot's
	 * {@value #LISTENER_OBSERVATION_ENABLED} is on; {@code null} otherwise.
	 */
	static @Nullable ObservationRegistry deliveries(ListableBeanFactory beans, Environment environment) {
		boolean observed = observed(beans, environment)
				|| environment.getProperty(LISTENER_OBSERVATION_ENABLED, Boolean.class, false);
		return observed ? beans.getBeanProvider(ObservationRegistry.class).getIfAvailable() : null;
	}

	/**
	 * Hand the registry to a sender or the outbox when the starter's own sends are
	 * observed.
	 */
	static void ifObserved(ListableBeanFactory beans, Environment environment, Consumer<ObservationRegistry> observe) {
		ObservationRegistry registry = registry(beans, environment);
		if (registry != null) {
			observe.accept(registry);
		}
	}

	/**
	 * The span a batch is handled in: linked to its events' traces when tracing.
	 */
	static BatchTracing batches(ListableBeanFactory beans) {
		return tracing(beans) ? Tracing.batchSpans(beans) : BatchTracing.NONE;
	}

	/** Names Micrometer Tracing's types only once it is known to be there. */
	private static final class Tracing {

		static boolean hasTracer(ListableBeanFactory beans) {
			return beans.getBeanNamesForType(Tracer.class, true, false).length > 0;
		}

		static BatchTracing batchSpans(ListableBeanFactory beans) {
			Tracer tracer = beans.getBeanProvider(Tracer.class).getIfAvailable();
			Propagator propagator = beans.getBeanProvider(Propagator.class).getIfAvailable();
			return (tracer != null && propagator != null) ? new LinkedBatchSpans(tracer, propagator)
					: BatchTracing.NONE;
		}

	}

}
