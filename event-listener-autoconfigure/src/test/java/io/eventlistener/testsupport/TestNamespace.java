package io.eventlistener.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Everything one integration test touches, kept apart from every other run on the same
 * services: its own PostgreSQL schema, its own exchanges and its own queue prefix. Close
 * it to stop the applications it started and remove what it created.
 */
public final class TestNamespace implements AutoCloseable {

	private final String id = "elt" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

	private final RabbitBroker rabbit;

	private final BrokerManagement broker;

	private final List<ConfigurableApplicationContext> applications = new ArrayList<>();

	private TestNamespace(RabbitBroker rabbit) {
		this.rabbit = rabbit;
		this.broker = new BrokerManagement(rabbit);
	}

	/**
	 * The setting that keeps a test application from starting a web server (the test
	 * classpath has Spring MVC for the endpoint access test); {@link #start} applies it
	 * unless the test's own settings say otherwise.
	 */
	public static final String NO_WEB_SERVER = "spring.main.web-application-type=none";

	/**
	 * Create a namespace and its schema, running the given SQL in it.
	 * @param ddl statements run in the new schema
	 * @return the namespace
	 */
	public static TestNamespace create(String... ddl) {
		return create(RabbitBroker.RABBITMQ_3, ddl);
	}

	/**
	 * Create a namespace on the given broker and its schema, running the given SQL in it.
	 * @param rabbit the broker its applications and raw clients use
	 * @param ddl statements run in the new schema
	 * @return the namespace
	 */
	public static TestNamespace create(RabbitBroker rabbit, String... ddl) {
		LocalServices.requireRunning();
		rabbit.requireRunning();
		TestNamespace namespace = new TestNamespace(rabbit);
		// names the broker of each run in the test output
		System.out.println("test namespace " + namespace.id + " on " + rabbit);
		namespace.sql("create schema " + namespace.id);
		namespace.sql(ddl);
		return namespace;
	}

	public String id() {
		return this.id;
	}

	public String eventsExchange() {
		return this.id + ".events";
	}

	public String modelsExchange() {
		return this.id + ".models";
	}

	public String queuePrefix() {
		return this.id;
	}

	public BrokerManagement broker() {
		return this.broker;
	}

	/**
	 * The broker this namespace's applications use.
	 */
	public RabbitBroker rabbit() {
		return this.rabbit;
	}

	/**
	 * The settings that point an application at this namespace.
	 */
	public Map<String, Object> properties() {
		Map<String, Object> properties = new HashMap<>();
		properties.put("spring.datasource.url", LocalServices.jdbcUrl(this.id));
		properties.put("spring.datasource.username", LocalServices.POSTGRES_USER);
		properties.put("spring.rabbitmq.host", this.rabbit.host());
		properties.put("spring.rabbitmq.port", this.rabbit.port());
		properties.put("spring.jpa.hibernate.ddl-auto", "none");
		properties.put("spring.jpa.open-in-view", "false");
		properties.put("event-listener.exchanges.events", eventsExchange());
		properties.put("event-listener.exchanges.models", modelsExchange());
		properties.put("event-listener.queue-prefix", queuePrefix());
		return properties;
	}

	/**
	 * The settings that point an application at this namespace, as {@code key=value}.
	 */
	public String[] propertyValues() {
		return properties().entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new);
	}

	/**
	 * Start an application in this namespace.
	 * @param application its configuration class
	 * @param extra more settings, as {@code key=value}
	 * @return the running context
	 */
	public ConfigurableApplicationContext start(Class<?> application, String... extra) {
		// a web server only where a test asks for one
		// (spring.main.web-application-type=servlet)
		ConfigurableApplicationContext context = new SpringApplicationBuilder(application).properties(properties())
			.properties(NO_WEB_SERVER)
			.properties(extra)
			.run();
		this.applications.add(context);
		return context;
	}

	/**
	 * Run SQL statements in this namespace's schema.
	 */
	public void sql(String... statements) {
		try (Connection connection = DriverManager.getConnection(LocalServices.jdbcUrl(this.id),
				LocalServices.POSTGRES_USER, ""); Statement statement = connection.createStatement()) {
			for (String sql : statements) {
				statement.execute(sql);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("SQL failed in schema " + this.id + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Run a query in this namespace's schema that returns one text, possibly
	 * {@code null}.
	 */
	public @Nullable String queryForString(String query) {
		return queryOne(query, (result) -> result.getString(1));
	}

	/**
	 * Run a query in this namespace's schema that returns one number.
	 */
	public long queryForLong(String query) {
		return queryOne(query, (result) -> result.getLong(1));
	}

	/**
	 * Run a query in this namespace's schema that returns one number per row.
	 */
	public List<Long> queryForLongs(String query) {
		try (Connection connection = DriverManager.getConnection(LocalServices.jdbcUrl(this.id),
				LocalServices.POSTGRES_USER, "");
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(query)) {
			List<Long> values = new ArrayList<>();
			while (result.next()) {
				values.add(result.getLong(1));
			}
			return values;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(query + ": " + ex.getMessage(), ex);
		}
	}

	private <T> T queryOne(String query, Column<T> column) {
		try (Connection connection = DriverManager.getConnection(LocalServices.jdbcUrl(this.id),
				LocalServices.POSTGRES_USER, "");
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(query)) {
			if (!result.next()) {
				throw new IllegalStateException("No row for: " + query);
			}
			return column.read(result);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("SQL failed in schema " + this.id + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public void close() {
		this.applications.forEach(ConfigurableApplicationContext::close);
		CachingConnectionFactory connectionFactory = new CachingConnectionFactory(this.rabbit.host(),
				this.rabbit.port());
		try {
			RabbitAdmin admin = new RabbitAdmin(connectionFactory);
			deleteQueues(admin, List.copyOf(this.broker.queueNames(this.id)));
			admin.deleteExchange(eventsExchange());
			admin.deleteExchange(modelsExchange());
			// the default dead-letter exchange, {prefix}.dead-letter
			admin.deleteExchange(this.id + ".dead-letter");
		}
		finally {
			connectionFactory.destroy();
		}
		sql("drop schema " + this.id + " cascade");
	}

	/**
	 * Delete queues with pipelined no-wait deletes, one round-trip per thousand: a scale
	 * test leaves thousands.
	 */
	private static void deleteQueues(RabbitAdmin admin, List<String> queues) {
		admin.getRabbitTemplate().execute((channel) -> {
			for (int i = 0; i < queues.size(); i++) {
				channel.queueDeleteNoWait(queues.get(i), false, false);
				if (i % 1000 == 999 || i == queues.size() - 1) {
					channel.basicQos(0);
				}
			}
			return null;
		});
	}

	@FunctionalInterface
	private interface Column<T> {

		T read(ResultSet result) throws SQLException;

	}

}
