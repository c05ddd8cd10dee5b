package io.eventlistener.handling;

import io.eventlistener.Event;
import io.eventlistener.EventObserver;
import io.eventlistener.EventObserverHandler;
import io.eventlistener.EventObserverHandler.Match;
import io.eventlistener.handling.OutcomeApplication.ScriptedHandler;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Handler methods that cannot work fail start-up, and the failure analyzers say which
 * method and what to write instead.
 */
@ExtendWith(OutputCaptureExtension.class)
class HandlerMethodStartupIntegrationTests {

	private final TestNamespace namespace = TestNamespace.create(Account.DDL);

	@AfterEach
	void closeNamespace() {
		this.namespace.close();
	}

	@Test
	void methodBesideAHandlerBeanForTheSameType(CapturedOutput output) {
		failsToStart(MethodAndBean.class);
		assertThat(report(output)).contains("The observer entity " + Account.class.getName()
				+ " has 2 handlers (EventHandler<Account> beans or @EventObserverHandler methods), "
				+ "[accountEvents, methods (OneMethod#on)]");
	}

	@Test
	void twoMethodsForOneType(CapturedOutput output) {
		failsToStart(TwoMethodsApplication.class);
		assertThat(report(output)).contains("has 2 handlers")
			.contains("methods (TwoMethods#on)")
			.contains("methods (TwoMethods#onAgain)");
	}

	@Test
	void wrongSignature(CapturedOutput output) {
		failsToStart(WrongSignature.class);
		assertThat(report(output))
			.contains("The @EventObserverHandler method methods (WrongSignatureMethods#on) cannot handle events: "
					+ "its signature is String on(Account, Event)")
			.contains("Action:", "`@EventObserverHandler void on(Subscription subscription, Event event)`");
	}

	@Test
	void firstParameterIsNotAnObserver(CapturedOutput output) {
		failsToStart(NotAnObserver.class);
		assertThat(report(output)).contains("its first parameter, java.lang.String, is not an EventObserver entity");
	}

	@Test
	void firstParameterIsAnObserverButNotAnEntity(CapturedOutput output) {
		failsToStart(NotAnEntity.class);
		assertThat(report(output)).contains("its first parameter, " + Stray.class.getName()
				+ ", is not an observer entity of this application (none of [Account])");
	}

	@Test
	void filterNamesAnUnknownField(CapturedOutput output) {
		failsToStart(UnknownField.class);
		assertThat(report(output)).contains("its filter is wrong: Unknown event field 'parameter.plan'");
	}

	private void failsToStart(Class<?> application) {
		assertThatException().isThrownBy(() -> this.namespace.start(application));
	}

	private static String report(CapturedOutput output) {
		String all = output.getAll();
		assertThat(all).contains("APPLICATION FAILED TO START");
		return all.substring(all.lastIndexOf("APPLICATION FAILED TO START"));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class MethodAndBean {

		@Bean
		ScriptedHandler accountEvents() {
			return new ScriptedHandler();
		}

		@Bean
		OneMethod methods() {
			return new OneMethod();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TwoMethodsApplication {

		@Bean
		TwoMethods methods() {
			return new TwoMethods();
		}

	}

	static class OneMethod {

		@EventObserverHandler
		void on(Account account, Event event) {
		}

	}

	static class TwoMethods {

		@EventObserverHandler
		void on(Account account, Event event) {
		}

		@EventObserverHandler
		void onAgain(Account account, Event event) {
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class WrongSignature {

		@Bean
		WrongSignatureMethods methods() {
			return new WrongSignatureMethods();
		}

	}

	static class WrongSignatureMethods {

		@EventObserverHandler
		String on(Account account, Event event) {
			return "";
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class NotAnObserver {

		@Bean
		Object methods() {
			return new Object() {

				@EventObserverHandler
				void on(String account, Event event) {
				}

			};
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class NotAnEntity {

		@Bean
		Object methods() {
			return new Object() {

				@EventObserverHandler
				void on(Stray stray, Event event) {
				}

			};
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class UnknownField {

		@Bean
		Object methods() {
			return new Object() {

				@EventObserverHandler(where = @Match(field = "parameter.plan", value = "gold"))
				void on(Account account, Event event) {
				}

			};
		}

	}

	/**
	 * An observer class that is no JPA entity.
	 */
	static class Stray implements EventObserver {

		@Override
		public java.util.List<String> getRoutingKeys() {
			return java.util.List.of();
		}

	}

}
