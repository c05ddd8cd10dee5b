package io.eventlistener.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.eventlistener.Event;
import io.eventlistener.EventPublisher;
import io.eventlistener.batch.BatchTestApplication;
import io.eventlistener.outbox.OutboxRepository;
import io.eventlistener.replay.DeadLetterReplayer;
import io.eventlistener.replay.ReplayFilter;
import io.eventlistener.testsupport.InMemoryTracing;
import io.eventlistener.testsupport.LocalServices;
import io.eventlistener.testsupport.TcpProxy;
import io.eventlistener.testsupport.TestNamespace;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One trace from request to handler, with an in-memory tracer ({@link InMemoryTracing}:
 * Micrometer Tracing's OpenTelemetry bridge, W3C trace context) and no tracing setting:
 * an event published in a request's observation reaches its handler in a span of the
 * request's trace after a direct send, after a relay send once a broker cut ended (the
 * trace context stored with the outbox row), after retries in place, and after a dead
 * letter's replay; a batch handler's span links the trace of every event of the batch.
 * The application reaches RabbitMQ through a {@link TcpProxy}, which cuts the broker.
 */
class TracingIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private final TestNamespace namespace = TestNamespace.create(Company.DDL);

	private final TcpProxy rabbit = new TcpProxy(LocalServices.RABBIT_HOST, LocalServices.RABBIT_PORT);

	/** The trace id the handler ran in, one per call (a retry is a call). */
	private final List<String> handlerTraces = new CopyOnWriteArrayList<>();

	/** How many handler calls are still to fail. */
	private final AtomicInteger failures = new AtomicInteger();

	private ConfigurableApplicationContext application;

	@AfterEach
	void stop() {
		this.namespace.close();
		this.rabbit.close();
	}

	@Test
	void theHandlerContinuesTheRequestsTraceAfterADirectSend() {
		startObserverApplication();
		String request = inRequest(() -> publisher().publish(event("direct")));
		awaitHandled("trace.direct");
		assertThat(this.handlerTraces).containsExactly(request);
	}

	@Test
	void theHandlerContinuesTheRequestsTraceAfterARelaySendOnceABrokerCutEnded() {
		startObserverApplication();
		this.rabbit.pause();
		String request = inRequest(() -> this.application.getBean(TransactionTemplate.class)
			.executeWithoutResult((status) -> publisher().publish(event("relayed"))));
		assertThat(this.application.getBean(OutboxRepository.class).count()).as("left in the outbox by the cut")
			.isEqualTo(1);
		assertThat(this.namespace.queryForString("select trace_context from " + OutboxRepository.TABLE))
			.as("the row's trace context")
			.startsWith("traceparent=00-" + request + "-");
		this.rabbit.resume();
		awaitHandled("trace.relayed");
		// the row is deleted once the broker's confirm is back, which may follow the
		// delivery
		await().atMost(WAIT)
			.untilAsserted(
					() -> assertThat(this.application.getBean(OutboxRepository.class).count()).as("sent by the relay")
						.isZero());
		assertThat(this.handlerTraces).containsExactly(request);
	}

	@Test
	void theHandlerContinuesTheRequestsTraceOnEveryRetryInPlace() {
		startObserverApplication("event-listener.retry.max-attempts=3");
		this.failures.set(2);
		String request = inRequest(() -> publisher().publish(event("retried")));
		awaitHandled("trace.retried");
		assertThat(this.handlerTraces).as("two failed calls and the one that returned")
			.containsExactly(request, request, request);
	}

	@Test
	void theHandlerContinuesTheRequestsTraceAfterADeadLettersReplay() {
		startObserverApplication("event-listener.retry.max-attempts=2");
		this.failures.set(Integer.MAX_VALUE);
		String request = inRequest(() -> publisher().publish(event("replayed")));
		DeadLetterReplayer replayer = this.application.getBean(DeadLetterReplayer.class);
		await().atMost(WAIT).until(() -> replayer.count() == 1);
		this.failures.set(0);
		assertThat(replayer.replay(ReplayFilter.ALL).moved()).isEqualTo(1);
		awaitHandled("trace.replayed");
		assertThat(this.handlerTraces).as("two failed calls, then the replayed one")
			.containsExactly(request, request, request);
	}

	@Test
	void aBatchSpanLinksTheTraceOfEachOfItsEvents() {
		insertObserver();
		this.application = this.namespace.start(BatchTestApplication.class, InMemoryTracing.SOURCE,
				"event-listener.batch.size=10", "event-listener.batch.timeout=1s");
		List<String> requests = IntStream.rangeClosed(1, 3)
			.mapToObj((seq) -> inRequest(() -> publisher()
				.publish(Event.builder().type("trace").action("batched").parameter("seq", seq).build())))
			.toList();
		InMemorySpanExporter spans = this.application.getBean(InMemorySpanExporter.class);
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(linkedTraces(spans.getFinishedSpanItems()))
				.as("the traces the batch spans link to")
				.containsExactlyInAnyOrderElementsOf(requests));
	}

	private void startObserverApplication(String... extra) {
		insertObserver();
		List<String> settings = new ArrayList<>(List.of(InMemoryTracing.SOURCE,
				"spring.rabbitmq.port=" + this.rabbit.port(), "event-listener.retry.initial-interval=50ms",
				"event-listener.outbox.relay-interval=200ms", "event-listener.outbox.retry-after=1s"));
		settings.addAll(Arrays.asList(extra));
		this.application = this.namespace.start(ObserverTestApplication.class, settings.toArray(String[]::new));
		Tracer tracer = this.application.getBean(Tracer.class);
		this.application.getBean(RecordingHandler.class).beforeEach(() -> {
			this.handlerTraces.add(tracer.currentSpan().context().traceId());
			if (this.failures.getAndUpdate((left) -> Math.max(0, left - 1)) > 0) {
				throw new IllegalStateException("failing as told");
			}
		});
	}

	private void insertObserver() {
		this.namespace.sql("insert into company (name, active, routing_keys) values ('traced', true, 'trace.#')");
	}

	/**
	 * Run work as a request of the application would, in an observation of its own (as
	 * Boot's HTTP server observation is).
	 * @return the request's trace id
	 */
	private String inRequest(Runnable work) {
		Observation request = Observation.start("test.request", this.application.getBean(ObservationRegistry.class));
		try (Observation.Scope scope = request.openScope()) {
			work.run();
			return this.application.getBean(Tracer.class).currentSpan().context().traceId();
		}
		finally {
			request.stop();
		}
	}

	private void awaitHandled(String routingKey) {
		RecordingHandler handler = this.application.getBean(RecordingHandler.class);
		await().atMost(WAIT)
			.until(() -> handler.deliveries()
				.stream()
				.anyMatch((delivery) -> delivery.event().routingKey().equals(routingKey)));
	}

	private EventPublisher publisher() {
		return this.application.getBean(EventPublisher.class);
	}

	private static Event event(String action) {
		return Event.builder().type("trace").action(action).build();
	}

	private static List<String> linkedTraces(List<SpanData> spans) {
		return spans.stream()
			.filter((span) -> span.getName().equals("Company process"))
			.flatMap((span) -> span.getLinks().stream())
			.map(LinkData::getSpanContext)
			.map((context) -> context.getTraceId())
			.toList();
	}

}
