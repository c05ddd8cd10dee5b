package io.eventlistener.autoconfigure.diagnostics;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import io.eventlistener.it.Company;
import io.eventlistener.it.ObserverTestApplication;
import io.eventlistener.it.RecordingHandler;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Each start-up failure the event listener can meet, caused as a user causes it against
 * the local RabbitMQ and PostgreSQL, reported in Boot's "APPLICATION FAILED TO START" box
 * by the analyzer registered in {@code META-INF/spring.factories}: the description says
 * what is wrong, the action what to change.
 */
@ExtendWith(OutputCaptureExtension.class)
class FailureAnalyzersIntegrationTests {

	private TestNamespace namespace;

	@BeforeEach
	void createNamespace() {
		this.namespace = TestNamespace.create(Company.DDL);
	}

	@AfterEach
	void closeNamespace() {
		this.namespace.close();
	}

	@Test
	void noEventHandlerForAnObserverType(CapturedOutput output) {
		failsToStart(NoHandlerApplication.class);
		assertThat(report(output)).contains("Description:", "The observer entity " + Company.class.getName()
				+ " has no EventHandler<Company> bean: its observers' queues would fill up with events nobody handles.")
			.contains("Action:", "Declare one bean implementing EventHandler<Company>: a @Component class, or a @Bean "
					+ "method returning EventHandler<Company>; or one bean method annotated @EventObserverHandler "
					+ "taking (Company, Event).");
	}

	@Test
	void twoEventHandlersForAnObserverType(CapturedOutput output) {
		failsToStart(TwoHandlersApplication.class);
		assertThat(report(output))
			.contains("The observer entity " + Company.class.getName()
					+ " has 2 handlers (EventHandler<Company> beans or @EventObserverHandler methods), "
					+ "[firstHandler, secondHandler]: each event is handled by exactly one.")
			.contains("Keep one of them");
	}

	@Test
	void noQueuePrefix(CapturedOutput output) {
		failsToStart(ObserverTestApplication.class, "event-listener.queue-prefix=");
		assertThat(report(output))
			.contains("The event listener has no queue prefix: observer queues are named {prefix}.{type}.{id}, and "
					+ "neither event-listener.queue-prefix nor spring.application.name is set.")
			.contains("Set spring.application.name (for example spring.application.name=billing");
	}

	@Test
	void brokerUnreachable(CapturedOutput output) throws IOException {
		int closedPort = closedPort();
		failsToStart(ObserverTestApplication.class, "spring.rabbitmq.port=" + closedPort);
		assertThat(report(output))
			.contains("The event listener could not connect to RabbitMQ at 127.0.0.1:" + closedPort
					+ " (spring.rabbitmq.host and spring.rabbitmq.port): ConnectException: Connection refused")
			.contains("Start RabbitMQ there, or point the application at the broker with spring.rabbitmq.host and "
					+ "spring.rabbitmq.port, or spring.rabbitmq.addresses");
	}

	@Test
	void brokerRefusesTheCredentials(CapturedOutput output) {
		failsToStart(ObserverTestApplication.class, "spring.rabbitmq.password=not-the-password");
		assertThat(report(output))
			.contains("RabbitMQ at 127.0.0.1:5672 (spring.rabbitmq.host and spring.rabbitmq.port) refused user "
					+ "'guest': wrong username or password.")
			.contains("Set spring.rabbitmq.username and spring.rabbitmq.password");
	}

	@Test
	void brokerRefusesTheVirtualHost(CapturedOutput output) {
		failsToStart(ObserverTestApplication.class, "spring.rabbitmq.virtual-host=" + this.namespace.id());
		assertThat(report(output))
			.contains("RabbitMQ at 127.0.0.1:5672 (spring.rabbitmq.host and spring.rabbitmq.port) refused user "
					+ "'guest' on virtual host '" + this.namespace.id() + "': NOT_ALLOWED")
			.contains("Set spring.rabbitmq.virtual-host to a virtual host that exists, or create it");
	}

	@Test
	void databaseUnreachable(CapturedOutput output) throws IOException {
		String url = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/test";
		failsToStart(ObserverTestApplication.class, "spring.datasource.url=" + url,
				"spring.datasource.hikari.connection-timeout=1000");
		assertThat(report(output))
			.contains("Could not connect to the database at " + url + ": nothing answered at its host and port")
			.contains("To let the application start while the database is down and wait for it")
			.contains("spring.jpa.database-platform", "spring.jpa.hibernate.ddl-auto=none");
		assertNoStackTraceBeforeTheReport(output);
	}

	@Test
	void wrongPublisherConfirmType(CapturedOutput output) {
		failsToStart(ObserverTestApplication.class, "spring.rabbitmq.publisher-confirm-type=always");
		assertThat(report(output)).contains("spring.rabbitmq.publisher-confirm-type")
			.contains("Action:")
			.contains("CORRELATED");
		assertNoStackTraceBeforeTheReport(output);
	}

	@Test
	void databaseMissing(CapturedOutput output) {
		String url = "jdbc:postgresql://127.0.0.1:5432/no_such_database";
		failsToStart(ObserverTestApplication.class, "spring.datasource.url=" + url);
		assertThat(report(output))
			.contains("Could not connect to the database at " + url + ": the database named in the URL does not "
					+ "exist (FATAL: database \"no_such_database\" does not exist)")
			.contains("Create the database, or correct the database name in spring.datasource.url.");
		assertNoStackTraceBeforeTheReport(output);
	}

	@Test
	void databaseMissingOnMariaDb(CapturedOutput output) {
		String url = "jdbc:mariadb://127.0.0.1:3306/no_such_database";
		failsToStart(ObserverTestApplication.class, "spring.datasource.url=" + url, "spring.datasource.username=root",
				"spring.datasource.password=");
		assertThat(report(output))
			.contains("Could not connect to the database at " + url + ": the database named in the URL does not exist")
			.contains("Unknown database 'no_such_database'");
		assertNoStackTraceBeforeTheReport(output);
	}

	@Test
	void databaseUserUnknown(CapturedOutput output) {
		failsToStart(ObserverTestApplication.class, "spring.datasource.username=no_such_user");
		assertThat(report(output)).contains(": the user does not exist (FATAL: role \"no_such_user\" does not exist)")
			.contains("Create the user, or correct spring.datasource.username.");
		assertNoStackTraceBeforeTheReport(output);
	}

	@Test
	void databasePasswordRefused(CapturedOutput output) {
		// the local PostgreSQL trusts every local user, so the refused password is
		// MariaDB's
		String url = "jdbc:mariadb://127.0.0.1:3306/test";
		failsToStart(ObserverTestApplication.class, "spring.datasource.url=" + url, "spring.datasource.username=root",
				"spring.datasource.password=not-the-password");
		assertThat(report(output))
			.contains("Could not connect to the database at " + url
					+ ": the user, its password or its access to this database was refused")
			.contains("Access denied for user 'root'")
			.contains("Correct spring.datasource.username and spring.datasource.password");
		assertNoStackTraceBeforeTheReport(output);
	}

	@Test
	void channelsPerConnectionAboveChannelMax(CapturedOutput output) {
		failsToStart(ObserverTestApplication.class, "spring.rabbitmq.requested-channel-max=64",
				"event-listener.consumer.channels-per-connection=100");
		assertThat(report(output))
			.contains(
					"event-listener.consumer.channels-per-connection is 100, but the broker connection allows only 64 "
							+ "channels")
			.contains("Set event-listener.consumer.channels-per-connection to at most 48, or raise the channel limit");
	}

	private void failsToStart(Class<?> application, String... settings) {
		assertThatException().isThrownBy(() -> this.namespace.start(application, settings));
	}

	private static String report(CapturedOutput output) {
		String all = output.getAll();
		assertThat(all).contains("APPLICATION FAILED TO START");
		return all.substring(all.lastIndexOf("APPLICATION FAILED TO START"));
	}

	/**
	 * The box is the one explanation: no library logged the driver's exception with a
	 * stack trace before it.
	 */
	private static void assertNoStackTraceBeforeTheReport(CapturedOutput output) {
		String all = output.getAll();
		String before = all.substring(0, all.lastIndexOf("APPLICATION FAILED TO START"));
		assertThat(before.lines().filter((line) -> line.startsWith("\tat ")).count()).as("stack frames logged")
			.isZero();
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress("127.0.0.1", 0));
			return socket.getLocalPort();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EntityScan(basePackageClasses = Company.class)
	static class NoHandlerApplication {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EntityScan(basePackageClasses = Company.class)
	static class TwoHandlersApplication {

		@Bean
		RecordingHandler firstHandler() {
			return new RecordingHandler();
		}

		@Bean
		RecordingHandler secondHandler() {
			return new RecordingHandler();
		}

	}

}
