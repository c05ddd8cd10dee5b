package io.eventlistener.autoconfigure;

import java.time.Duration;

import javax.sql.DataSource;

import io.eventlistener.assembly.EventListenerAssembly;
import io.eventlistener.autoconfigure.EventListenerAutoConfigurationTests.CompanyObservers;
import io.eventlistener.dispatch.RequeueBackOff;
import io.eventlistener.inbox.EventInbox;
import io.eventlistener.inbox.InboxKey;
import io.eventlistener.lifecycle.PeriodicTask;
import io.eventlistener.method.EventObserverHandlerPostProcessor;
import io.eventlistener.testsupport.NoBroker;
import org.junit.jupiter.api.Test;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EventListenerAutoConfiguration}'s handler methods, the requeue back-off
 * ({@code event-listener.requeue.*}) the dispatcher uses, and the inbox
 * ({@code event-listener.inbox.*}): off unless asked for; when on, the dispatcher uses
 * it, its table is created by the starter's H2 script through Boot's schema initializer,
 * and its records share the application's JPA transactions. Broker-free.
 */
class EventHandlingAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, DataSourceAutoConfiguration.class,
				HibernateJpaAutoConfiguration.class, EventPublisherAutoConfiguration.class,
				EventListenerAutoConfiguration.class))
		.withPropertyValues(NoBroker.propertyValues())
		.withPropertyValues("event-listener.queue-prefix=billing")
		.withUserConfiguration(CompanyObservers.class);

	@Test
	void findsHandlerMethodsAndRequeuesWithTheRequeueSettings() {
		this.runner
			.withPropertyValues("event-listener.requeue.max-requeues=2", "event-listener.requeue.max-interval=3s")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(EventObserverHandlerPostProcessor.class);
				RequeueBackOff backOff = requeueBackOff(context);
				assertThat(backOff.maxRequeues()).isEqualTo(2);
				assertThat(backOff.interval(10)).isEqualTo(Duration.ofSeconds(3));
			});
	}

	@Test
	void requeueDefaultsAreFiveRequeuesUpToThirtySeconds() {
		this.runner.run((context) -> {
			RequeueBackOff backOff = requeueBackOff(context);
			assertThat(backOff.maxRequeues()).isEqualTo(5);
			assertThat(backOff.interval(1)).isEqualTo(Duration.ofSeconds(1));
			assertThat(backOff.interval(10)).isEqualTo(Duration.ofSeconds(30));
		});
	}

	@Test
	void backsOffWithoutTheListener() {
		this.runner.withPropertyValues("event-listener.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(EventObserverHandlerPostProcessor.class)
				.doesNotHaveBean(EventListenerAssembly.class));
	}

	private static RequeueBackOff requeueBackOff(ApplicationContext context) {
		return (RequeueBackOff) ReflectionTestUtils.getField(
				ReflectionTestUtils.getField(ReflectionTestUtils
					.getField(context.getBean(EventListenerAssembly.class).pipeline(), "dispatcher"), "failures"),
				"requeueBackOff");
	}

	@Test
	void inboxDefaults() {
		EventInboxProperties properties = new EventInboxProperties();
		assertThat(properties.isEnabled()).isFalse();
		assertThat(properties.getRetention()).isEqualTo(Duration.ofDays(7));
		assertThat(properties.getCleanupInterval()).isEqualTo(Duration.ofMinutes(5));
		assertThat(properties.getInitializeSchema()).isEqualTo(DatabaseInitializationMode.ALWAYS);
		assertThat(properties.getDefaultSchemaLocation())
			.isEqualTo("classpath:io/eventlistener/inbox/schema-@@platform@@.sql");
	}

	@Test
	void inboxIsOffByDefault() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(EventInbox.class).doesNotHaveBean(PeriodicTask.class);
			assertThat(context.getBean(EventListenerAssembly.class).pipeline()).extracting("dispatcher.inbox").isNull();
		});
	}

	@Test
	void whenTheInboxIsOnTheDispatcherUsesItAndItsCleanupRunsWithTheListener() {
		this.runner.withPropertyValues("event-listener.inbox.enabled=true").run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(EventInbox.class).doesNotHaveBean(PeriodicTask.class);
			assertThat(context.getBean(EventInbox.class).isRunning()).as("its cleanup is scheduled").isTrue();
			assertThat(context.getBean(EventListenerAssembly.class).pipeline()).extracting("dispatcher.inbox")
				.isSameAs(context.getBean(EventInbox.class));
		});
	}

	@Test
	void inboxTableIsCreatedOnFirstUseAndADuplicateIsNotHandled() throws Exception {
		this.runner.withPropertyValues("event-listener.inbox.enabled=true").run((context) -> {
			EventInbox inbox = context.getBean(EventInbox.class);
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			jdbc.execute("create table effect (id varchar(20))");
			InboxKey key = new InboxKey("billing.company.1", "m-1");
			assertThat(inbox.handleOnce(key, () -> jdbc.update("insert into effect values ('m-1')"))).isTrue();
			assertThat(inbox.handleOnce(key, () -> jdbc.update("insert into effect values ('m-1')"))).isFalse();
			assertThat(jdbc.queryForObject("select count(*) from effect", Integer.class)).isOne();
			assertThat(context.getBean(EventInbox.class).repository().count()).isOne();
		});
	}

	@Test
	void noInboxTableWhenTheScriptIsSwitchedOff() {
		this.runner
			.withPropertyValues("event-listener.inbox.enabled=true", "event-listener.inbox.initialize-schema=never")
			.run((context) -> {
				JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
				assertThat(jdbc.queryForObject(
						"select count(*) from information_schema.tables where table_name = 'EVENT_LISTENER_INBOX'",
						Integer.class))
					.isZero();
				context.getBean(EventInbox.class).repository().createTableOnce();
				assertThat(jdbc.queryForObject(
						"select count(*) from information_schema.tables where table_name = 'EVENT_LISTENER_INBOX'",
						Integer.class))
					.isZero();
			});
	}

}
