package io.eventlistener.reply;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.eventlistener.Event;
import io.eventlistener.EventReplyHandler;
import io.eventlistener.it.Company;
import io.eventlistener.it.CompanyRepository;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Bean;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/**
 * The application the request/reply tests start: {@link Company} observers whose handler
 * answers by the event's action.
 */
@SpringBootApplication
@EntityScan(basePackageClasses = Company.class)
@EnableJpaRepositories(basePackageClasses = CompanyRepository.class)
public class ReplyTestApplication {

	@Bean
	Replier replier() {
		return new Replier();
	}

	/**
	 * Answers {@code echo} with the observer's name and the event's {@code seq}, fails
	 * {@code fail}, answers {@code slow} once released, and {@code quiet} with nothing.
	 */
	public static class Replier implements EventReplyHandler<Company> {

		public final AtomicInteger calls = new AtomicInteger();

		public final CountDownLatch release = new CountDownLatch(1);

		@Override
		public @Nullable Object reply(Company company, Event event) throws Exception {
			this.calls.incrementAndGet();
			return switch (String.valueOf(event.action())) {
				case "echo" -> Map.of("observer", company.getName(), "seq", event.parameters().get("seq"));
				case "fail" -> throw new IllegalStateException("no such invoice");
				case "slow" -> {
					this.release.await(30, TimeUnit.SECONDS);
					yield "late answer";
				}
				default -> null;
			};
		}

	}

}
