package io.eventlistener.actuate;

import java.util.Map;

import io.eventlistener.lifecycle.ErrorBudget;
import io.eventlistener.lifecycle.EventListenerLifecycle;
import io.eventlistener.lifecycle.ListenerState;
import io.eventlistener.registry.ObserverRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of the event listener: {@code UP} while it consumes, {@code UNKNOWN} while it
 * starts, {@code DOWN} once it stopped or its error budget ran out. Details: the listener
 * state, the number of registered observers and, when there is one, the error budget.
 */
public class EventListenerHealthIndicator extends AbstractHealthIndicator {

	private final EventListenerLifecycle lifecycle;

	private final ObserverRegistry registry;

	private final @Nullable ErrorBudget errorBudget;

	/**
	 * @param lifecycle tells the listener state
	 * @param registry the registered observers
	 * @param errorBudget the error budget, or {@code null} when there is none
	 */
	public EventListenerHealthIndicator(EventListenerLifecycle lifecycle, ObserverRegistry registry,
			@Nullable ErrorBudget errorBudget) {
		super("Event listener health check failed");
		this.lifecycle = lifecycle;
		this.registry = registry;
		this.errorBudget = errorBudget;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		ListenerState state = this.lifecycle.state();
		builder.status(status(state))
			.withDetail("state", state)
			.withDetail("observers", this.registry.registrations().size());
		ErrorBudget budget = this.errorBudget;
		if (budget != null) {
			builder.withDetail("errorBudget", errorBudget(budget));
			if (budget.isExhausted()) {
				builder.down();
			}
		}
	}

	private static Status status(ListenerState state) {
		return switch (state) {
			case NEW, STARTING -> Status.UNKNOWN;
			case RUNNING -> Status.UP;
			case STOPPED -> Status.DOWN;
		};
	}

	static Map<String, Object> errorBudget(ErrorBudget budget) {
		return Map.of("errors", budget.errorsInWindow(), "limit", budget.limit(), "interval",
				budget.interval().toString(), "exhausted", budget.isExhausted());
	}

}
