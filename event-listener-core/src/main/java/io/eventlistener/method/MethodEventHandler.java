package io.eventlistener.method;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;

import io.eventlistener.Event;
import io.eventlistener.EventFilter;
import io.eventlistener.EventHandler;
import io.eventlistener.EventObserver;
import io.eventlistener.EventOutcome;
import io.eventlistener.EventRejectedException;
import io.eventlistener.EventRequeueException;

import org.springframework.util.ReflectionUtils;

/**
 * An {@code @EventObserverHandler} method as an {@link EventHandler}: calls it, rethrows
 * what it threw, and turns a returned {@link EventOutcome#REQUEUE} or
 * {@link EventOutcome#REJECT} into the exceptions an {@code EventHandler} would throw, so
 * the dispatcher has one path for both.
 */
final class MethodEventHandler implements EventHandler<EventObserver> {

	private final Object bean;

	private final Method method;

	private final String name;

	private final EventFilter filter;

	MethodEventHandler(Object bean, Method method, String name, EventFilter filter) {
		this.bean = bean;
		this.method = method;
		this.name = name;
		this.filter = filter;
		ReflectionUtils.makeAccessible(method);
	}

	@Override
	public void handle(EventObserver observer, Event event) throws Exception {
		Object outcome;
		try {
			outcome = this.method.invoke(this.bean, observer, event);
		}
		catch (InvocationTargetException ex) {
			Throwable thrown = ex.getTargetException();
			if (thrown instanceof Exception exception) {
				throw exception;
			}
			if (thrown instanceof Error error) {
				throw error;
			}
			throw new UndeclaredThrowableException(thrown);
		}
		if (outcome == EventOutcome.REQUEUE) {
			throw new EventRequeueException(this.name + " returned REQUEUE");
		}
		if (outcome == EventOutcome.REJECT) {
			throw new EventRejectedException(this.name + " returned REJECT");
		}
	}

	@Override
	public EventFilter filter() {
		return this.filter;
	}

	@Override
	public String toString() {
		return this.name;
	}

}
