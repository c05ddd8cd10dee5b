package io.eventlistener.inbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.then;
import static org.mockito.BDDMockito.willReturn;
import static org.mockito.Mockito.mock;

/**
 * The inbox on an embedded H2 database with the starter's H2 script, in transactions of a
 * plain {@link DataSourceTransactionManager}: a handler's row and the inbox record commit
 * or roll back together.
 */
class EventInboxTests {

	private final DriverManagerDataSource dataSource = new DriverManagerDataSource(
			"jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

	private final JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);

	private final InboxRepository repository = new InboxRepository(this.jdbc,
			() -> new ResourceDatabasePopulator(new ClassPathResource("io/eventlistener/inbox/schema-h2.sql"))
				.execute(this.dataSource));

	private final EventInbox inbox = new EventInbox(this.repository,
			new TransactionTemplate(new DataSourceTransactionManager(this.dataSource)), Clock.systemUTC());

	EventInboxTests() {
		this.jdbc.execute("create table effect (id varchar(255))");
	}

	@Test
	void aDeliveryIsHandledOnceAndItsCopyIsNot() throws Exception {
		InboxKey key = new InboxKey("q.company.1", "m-1");

		assertThat(this.inbox.handleOnce(key, () -> effect("m-1"))).isTrue();
		assertThat(this.inbox.handleOnce(key, () -> effect("m-1"))).isFalse();

		assertThat(effects()).containsExactly("m-1");
		assertThat(this.repository.count()).isOne();
	}

	@Test
	void eachQueueHandlesTheSameDeliveryOnce() throws Exception {
		assertThat(this.inbox.handleOnce(new InboxKey("q.company.1", "m-1"), () -> effect("1"))).isTrue();
		assertThat(this.inbox.handleOnce(new InboxKey("q.company.2", "m-1"), () -> effect("2"))).isTrue();

		assertThat(effects()).containsExactly("1", "2");
	}

	@Test
	void aHandlerThatThrowsLeavesNoRecordAndNoEffect() throws Exception {
		InboxKey key = new InboxKey("q.company.1", "m-1");

		assertThatIllegalStateException().isThrownBy(() -> this.inbox.handleOnce(key, () -> {
			effect("m-1");
			throw new IllegalStateException("handler failure");
		}));
		assertThat(effects()).isEmpty();

		assertThat(this.inbox.handleOnce(key, () -> effect("m-1"))).isTrue();
		assertThat(effects()).containsExactly("m-1");
	}

	@Test
	void aCheckedExceptionIsThrownAsItWas() {
		Exception failure = new Exception("checked");
		assertThat(org.assertj.core.api.Assertions
			.catchThrowable(() -> this.inbox.handleOnce(new InboxKey("q", "m"), () -> {
				throw failure;
			}))).isSameAs(failure);
		assertThat(this.repository.count()).isZero();
	}

	@Test
	void aBatchLeavesOutWhatWasHandledAndACopyWithinIt() throws Exception {
		this.inbox.handleOnce(new InboxKey("q.company.1", "m-2"), () -> effect("m-2"));
		List<String> batch = List.of("m-1", "m-2", "m-3", "m-1");
		List<String> handed = new ArrayList<>();

		List<String> duplicates = this.inbox.handleOnce(batch, (id) -> new InboxKey("q.company.1", id), (fresh) -> {
			handed.addAll(fresh);
			fresh.forEach(this::effect);
		});

		assertThat(handed).containsExactly("m-1", "m-3");
		assertThat(duplicates).containsExactlyInAnyOrder("m-2", "m-1");
		assertThat(effects()).containsExactlyInAnyOrder("m-1", "m-2", "m-3");
	}

	@Test
	void aBatchOfDuplicatesDoesNotCallTheHandler() throws Exception {
		this.inbox.handleOnce(new InboxKey("q", "m-1"), () -> effect("m-1"));
		List<String> duplicates = this.inbox.handleOnce(List.of("m-1"), (id) -> new InboxKey("q", id), (fresh) -> {
			throw new AssertionError("handler called with " + fresh);
		});
		assertThat(duplicates).containsExactly("m-1");
	}

	@Test
	void aBatchThatFailsRecordsNone() {
		assertThatIllegalStateException()
			.isThrownBy(() -> this.inbox.handleOnce(List.of("m-1", "m-2"), (id) -> new InboxKey("q", id), (fresh) -> {
				fresh.forEach(this::effect);
				throw new IllegalStateException("batch failure");
			}));
		assertThat(this.repository.count()).isZero();
		assertThat(effects()).isEmpty();
	}

	@Test
	void cleanupForgetsWhatWasHandledBeforeTheRetention() throws Exception {
		Instant now = Instant.parse("2026-12-07T10:00:00Z");
		EventInbox past = new EventInbox(this.repository,
				new TransactionTemplate(new DataSourceTransactionManager(this.dataSource)),
				Clock.fixed(now.minus(Duration.ofDays(8)), ZoneOffset.UTC));
		past.handleOnce(new InboxKey("q", "old"), () -> {
		});
		this.inbox.handleOnce(new InboxKey("q", "new"), () -> {
		});
		InboxCleanup cleanup = new InboxCleanup(this.repository, Clock.fixed(now, ZoneOffset.UTC), Duration.ofDays(7));
		assertThat(cleanup.clean()).isOne();
		assertThat(this.jdbc.queryForList("select delivery_id from " + InboxRepository.TABLE, String.class))
			.containsExactly("new");
	}

	@Test
	void aCleanedUpInboxRunsItsCleanupOnTheSchedulerFromStartToStop() throws Exception {
		TaskScheduler scheduler = mock(TaskScheduler.class);
		ScheduledFuture<?> scheduled = mock(ScheduledFuture.class);
		willReturn(scheduled).given(scheduler).scheduleWithFixedDelay(any(), any(Instant.class), any());
		EventInbox inbox = new EventInbox(this.repository,
				new TransactionTemplate(new DataSourceTransactionManager(this.dataSource)), Clock.systemUTC())
			.cleanedUp(Duration.ofDays(7), Duration.ofMinutes(5), scheduler);
		new EventInbox(this.repository, new TransactionTemplate(new DataSourceTransactionManager(this.dataSource)),
				Clock.offset(Clock.systemUTC(), Duration.ofDays(-8)))
			.handleOnce(new InboxKey("q", "old"), () -> {
			});
		assertThat(inbox.isRunning()).isFalse();

		inbox.start();
		ArgumentCaptor<Runnable> cleanup = ArgumentCaptor.forClass(Runnable.class);
		then(scheduler).should()
			.scheduleWithFixedDelay(cleanup.capture(), any(Instant.class), eq(Duration.ofMinutes(5)));
		assertThat(inbox.isRunning()).isTrue();
		cleanup.getValue().run();
		assertThat(this.repository.count()).as("the record older than the retention is forgotten").isZero();

		inbox.stop();
		then(scheduled).should().cancel(true);
		assertThat(inbox.isRunning()).isFalse();
	}

	private void effect(String id) {
		this.jdbc.update("insert into effect (id) values (?)", id);
	}

	private List<String> effects() {
		return this.jdbc.queryForList("select id from effect", String.class);
	}

}
