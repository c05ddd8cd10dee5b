package io.eventlistener.sample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.eventlistener.testsupport.TestNamespace;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The sample application's {@code rabbitmq} profile in a {@link TestNamespace} of its
 * own: a schema, exchanges and a queue prefix no other run uses, on the real-services
 * harness the starter's own integration tests use (RabbitMQ and PostgreSQL on this
 * machine; a missing service is a failure that says how to start it). Closing it stops
 * the application and removes all of them.
 */
final class SampleNamespace implements AutoCloseable {

	private final TestNamespace namespace;

	private @Nullable ConfigurableApplicationContext application;

	private SampleNamespace(String... ddl) {
		this.namespace = TestNamespace.create(ddl);
	}

	/**
	 * Run the sample with its {@code rabbitmq} profile in a new namespace.
	 * @param sources the application's sources
	 * @return the namespace, with the application running
	 */
	static SampleNamespace start(Class<?>... sources) {
		SampleNamespace namespace = new SampleNamespace();
		namespace.run(new String[] { "rabbitmq" }, sources);
		return namespace;
	}

	/**
	 * Run the sample with its {@code rabbitmq} profile and others in a new namespace
	 * whose schema already holds tables of another application's (a Rails application's).
	 * @param profiles the profiles after {@code rabbitmq}
	 * @param ddl statements run in the new schema first
	 * @param overrides {@code name=value} settings, as for {@link #arguments}
	 * @return the namespace, with the application running
	 */
	static SampleNamespace start(List<String> profiles, List<String> ddl, String... overrides) {
		SampleNamespace namespace = new SampleNamespace(ddl.toArray(String[]::new));
		List<String> active = new ArrayList<>(List.of("rabbitmq"));
		active.addAll(profiles);
		namespace.run(active.toArray(String[]::new), new Class<?>[] { SampleApplication.class }, overrides);
		return namespace;
	}

	private void run(String[] profiles, Class<?>[] sources, String... overrides) {
		this.application = new SpringApplicationBuilder(sources).profiles(profiles)
			.properties("server.port=0")
			.run(arguments(overrides).toArray(String[]::new));
	}

	/**
	 * A new namespace, for an application run elsewhere (a packaged jar).
	 * @return the namespace
	 */
	static SampleNamespace create() {
		return new SampleNamespace();
	}

	/**
	 * The settings that put the {@code rabbitmq} profile in this namespace, as
	 * command-line arguments (they win over the profile's own file).
	 * @param overrides {@code name=value} settings that replace those of the same name
	 * @return {@code --name=value} arguments
	 */
	List<String> arguments(String... overrides) {
		Map<String, Object> settings = new LinkedHashMap<>(this.namespace.properties());
		// the profile lets Hibernate create the sample's tables: in this schema, never
		// taking the public schema's tables for ours
		settings.put("spring.jpa.hibernate.ddl-auto", "update");
		settings.put("spring.jpa.properties.hibernate.default_schema", this.namespace.id());
		for (String override : overrides) {
			int equals = override.indexOf('=');
			settings.put(override.substring(0, equals), override.substring(equals + 1));
		}
		return settings.entrySet()
			.stream()
			.map((setting) -> "--" + setting.getKey() + "=" + setting.getValue())
			.toList();
	}

	/**
	 * The schema, exchanges and queue prefix the application runs in.
	 */
	TestNamespace namespace() {
		return this.namespace;
	}

	ConfigurableApplicationContext application() {
		ConfigurableApplicationContext application = this.application;
		if (application == null) {
			throw new IllegalStateException("No application was started in this namespace");
		}
		return application;
	}

	int port() {
		return application().getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	@Override
	public void close() {
		if (this.application != null) {
			this.application.close();
		}
		this.namespace.close();
	}

}
