package io.eventlistener;

import io.eventlistener.inbox.InboxRuntimeHints;
import io.eventlistener.outbox.OutboxRuntimeHints;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an ahead-of-time processed application is told it reads at run time: each hint the
 * starter gives, checked as Spring's AOT engine would see it.
 */
class AotRuntimeHintsTests {

	@Test
	void theOutboxSchemaScriptOfEachDatabaseIsAResource() {
		RuntimeHints hints = new RuntimeHints();
		new OutboxRuntimeHints().registerHints(hints, getClass().getClassLoader());
		for (String platform : new String[] { "postgresql", "mysql", "h2" }) {
			String script = "io/eventlistener/outbox/schema-" + platform + ".sql";
			assertThat(getClass().getClassLoader().getResource(script)).as(script).isNotNull();
			assertThat(RuntimeHintsPredicates.resource().forResource(script)).as(script).accepts(hints);
		}
	}

	@Test
	void theInboxSchemaScriptOfEachDatabaseIsAResource() {
		RuntimeHints hints = new RuntimeHints();
		new InboxRuntimeHints().registerHints(hints, getClass().getClassLoader());
		for (String platform : new String[] { "postgresql", "mysql", "h2" }) {
			String script = "io/eventlistener/inbox/schema-" + platform + ".sql";
			assertThat(getClass().getClassLoader().getResource(script)).as(script).isNotNull();
			assertThat(RuntimeHintsPredicates.resource().forResource(script)).as(script).accepts(hints);
		}
	}

	@Test
	void theOutboxAndInboxHintsAreListedForTheAotEngine() {
		assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class)).hasAtLeastOneElementOfType(OutboxRuntimeHints.class)
			.hasAtLeastOneElementOfType(InboxRuntimeHints.class);
	}

	@Test
	void anEventObserverHandlerMethodStaysInvocable() {
		RuntimeHints hints = new RuntimeHints();
		new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(hints, CompanyEvents.class);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(CompanyEvents.class, "on")).accepts(hints);
	}

	static class CompanyEvents {

		@EventObserverHandler
		void on(Object company, Event event) {
		}

	}

}
