package io.eventlistener.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;

import io.eventlistener.dispatch.RetryMode;
import io.eventlistener.lifecycle.ErrorLimitAction;
import io.eventlistener.registry.QueueType;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the defaults of every setting, and checks the generated configuration metadata
 * describes each one.
 */
class EventListenerPropertiesTests {

	@Test
	void defaults() {
		EventListenerProperties properties = bind(Map.of());
		assertThat(properties.isEnabled()).isTrue();
		assertThat(properties.getQueuePrefix()).isNull();
		assertThat(properties.isAutoStartup()).isTrue();
		assertThat(properties.getExchanges().getEvents()).isEqualTo("events");
		assertThat(properties.getExchanges().getModels()).isEqualTo("models");
		assertThat(properties.getConsumer().getPrefetch()).isNull();
		assertThat(properties.getConsumer().getMaxBodySize()).isEqualTo(DataSize.ofMegabytes(1));
		assertThat(properties.getConsumer().getThreads()).isZero();
		assertThat(properties.getConsumer().threads()).isEqualTo(2 * Runtime.getRuntime().availableProcessors());
		assertThat(properties.getConsumer().getDeclareChannels()).isEqualTo(32);
		assertThat(properties.getConsumer().getRestartInterval()).isEqualTo(Duration.ofMillis(500));
		assertThat(properties.getConsumer().getGracePeriod()).isEqualTo(Duration.ofSeconds(10));
		assertThat(properties.getLoader().getPageSize()).isEqualTo(500);
		assertThat(properties.getPublisher().getConfirmTimeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(properties.getError().getLimit()).isEqualTo(100);
		assertThat(properties.getError().getInterval()).isEqualTo(Duration.ofHours(1));
		assertThat(properties.getError().getOnLimit()).isEqualTo(ErrorLimitAction.BROKEN);
		assertThat(properties.getRetry().getMode()).isEqualTo(RetryMode.ALWAYS);
		assertThat(properties.getRetry().getMaxAttempts()).isEqualTo(3);
		assertThat(properties.getRetry().getInitialInterval()).isEqualTo(Duration.ofSeconds(1));
		assertThat(properties.getRetry().getMultiplier()).isEqualTo(2.0);
		assertThat(properties.getRetry().getMaxInterval()).isEqualTo(Duration.ofSeconds(10));
		assertThat(properties.getDeadLetter().isEnabled()).isTrue();
		assertThat(properties.getDeadLetter().getExchange()).isNull();
		assertThat(properties.getDeadLetter().getQueue()).isNull();
		assertThat(properties.getDeadLetter().isIncludeStackTrace()).isFalse();
		assertThat(properties.getShutdown().getTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(properties.getOutbox().isEnabled()).isTrue();
		assertThat(properties.getOutbox().getRelayInterval()).isEqualTo(Duration.ofSeconds(10));
		assertThat(properties.getOutbox().getRetryAfter()).isEqualTo(Duration.ofSeconds(30));
		assertThat(properties.getWatcher().isEnabled()).isTrue();
		assertThat(properties.getWatcher().isPublish()).isTrue();
		assertThat(properties.getWatcher().getSchema()).isNull();
		assertThat(properties.getWatcher().isDeleteQueuesOnDestroy()).isTrue();
		assertThat(properties.getWatcher().getMaxPayloadSize()).isEqualTo(DataSize.ofKilobytes(256));
		assertThat(properties.getWatcher().getCoalesceInterval()).isEqualTo(Duration.ofSeconds(1));
		assertThat(properties.getResync().getInterval()).isEqualTo(Duration.ofMinutes(5));
		assertThat(properties.getResync().isRemoveStrayBindings()).isFalse();
		assertThat(properties.getManagement().getUrl()).isNull();
		assertThat(properties.getManagement().getUsername()).isNull();
		assertThat(properties.getManagement().getPassword()).isNull();
		assertThat(properties.getManagement().getTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(properties.getOutage().isEnabled()).isTrue();
		assertThat(properties.getOutage().getProbeInterval()).isEqualTo(Duration.ofSeconds(1));
		assertThat(properties.getOutage().getMaxProbeInterval()).isEqualTo(Duration.ofSeconds(5));
		assertThat(properties.getQueues().getType()).isEqualTo(QueueType.CLASSIC);
		assertThat(properties.getQueues().getDeliveryLimit()).isNull();
		assertThat(properties.getQueues().getInitialGroupSize()).isNull();
		assertThat(properties.getReplies().getAllowedQueues()).isEmpty();
		assertThat(properties.getReplies().isIncludeExceptionMessage()).isFalse();
	}

	@Test
	void bindsQueueSettings() {
		EventListenerProperties properties = bind(Map.of("event-listener.queues.type", "quorum",
				"event-listener.queues.delivery-limit", "5", "event-listener.queues.initial-group-size", "3"));
		assertThat(properties.getQueues().getType()).isEqualTo(QueueType.QUORUM);
		assertThat(properties.getQueues().getDeliveryLimit()).isEqualTo(5);
		assertThat(properties.getQueues().getInitialGroupSize()).isEqualTo(3);
	}

	@Test
	void bindsRelaxedNames() {
		EventListenerProperties properties = bind(Map.of("event-listener.queue-prefix", "billing",
				"event-listener.exchanges.events", "billing.events", "event-listener.consumer.prefetch", "10",
				"event-listener.consumer.channels-per-connection", "500", "event-listener.consumer.threads", "3"));
		assertThat(properties.getQueuePrefix()).isEqualTo("billing");
		assertThat(properties.getExchanges().getEvents()).isEqualTo("billing.events");
		assertThat(properties.getConsumer().getPrefetch()).isEqualTo(10);
		assertThat(properties.getConsumer().getChannelsPerConnection()).isEqualTo(500);
		assertThat(properties.getConsumer().threads()).isEqualTo(3);
	}

	@Test
	void bindsTheRetryMode() {
		assertThat(bind(Map.of("event-listener.retry.mode", "vote")).getRetry().getMode()).isEqualTo(RetryMode.VOTE);
	}

	@Test
	void theOldRetryModeKeyStillBinds() {
		assertThat(bind(Map.of("event-listener.error.requeue", "never")).getRetry().getMode())
			.isEqualTo(RetryMode.NEVER);
	}

	@Test
	void metadataDeprecatesTheOldRetryModeKey() throws IOException {
		JsonNode requeue = metadataProperty("event-listener.error.requeue");
		assertThat(requeue.path("deprecation").path("replacement").asString()).isEqualTo("event-listener.retry.mode");
		assertThat(requeue.path("deprecation").path("level").asString("warning")).isEqualTo("warning");
		assertThat(metadataProperty("event-listener.retry.mode").path("deprecation").isMissingNode()).isTrue();
	}

	@Test
	void bindsWatcherSettings() {
		EventListenerProperties properties = bind(Map.of("event-listener.watcher.schema", "billing",
				"event-listener.watcher.delete-queues-on-destroy", "false", "event-listener.watcher.max-payload-size",
				"16KB", "event-listener.watcher.publish", "false", "event-listener.watcher.enabled", "false"));
		assertThat(properties.getWatcher().getSchema()).isEqualTo("billing");
		assertThat(properties.getWatcher().isDeleteQueuesOnDestroy()).isFalse();
		assertThat(properties.getWatcher().getMaxPayloadSize()).isEqualTo(DataSize.ofKilobytes(16));
		assertThat(properties.getWatcher().isPublish()).isFalse();
		assertThat(properties.getWatcher().isEnabled()).isFalse();
	}

	@Test
	void metadataDescribesEverySetting() throws IOException {
		assertThat(metadata().get("properties")).isNotEmpty().allSatisfy((property) -> {
			// the actuator endpoints' own settings are generated too
			assertThat(property.get("name").asString()).matches(
					"(event-listener|management\\.endpoint\\.eventlistener(bindings|deadletters)?|management\\.health\\.eventlistener)\\..+");
			assertThat(property.path("description").asString("")).as(property.get("name").asString()).isNotBlank();
		});
	}

	private JsonNode metadataProperty(String name) throws IOException {
		for (JsonNode property : metadata().get("properties")) {
			if (property.get("name").asString().equals(name)) {
				return property;
			}
		}
		throw new AssertionError(name + " is not in the configuration metadata");
	}

	private JsonNode metadata() throws IOException {
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			return JsonMapper.builder().build().readTree(in);
		}
	}

	private static EventListenerProperties bind(Map<String, String> values) {
		return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("event-listener",
				EventListenerProperties.class);
	}

}
