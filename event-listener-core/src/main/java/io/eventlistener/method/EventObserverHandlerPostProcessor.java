package io.eventlistener.method;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import io.eventlistener.Event;
import io.eventlistener.EventFilter;
import io.eventlistener.EventObserver;
import io.eventlistener.EventObserverHandler;
import io.eventlistener.EventOutcome;
import io.eventlistener.dispatch.NamedHandler;
import io.eventlistener.observer.ObserverType;
import io.eventlistener.observer.ObserverTypes;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Finds the {@link EventObserverHandler} methods of every bean once, after it is
 * initialised (as Spring AMQP's {@code RabbitListenerAnnotationBeanPostProcessor} finds
 * {@code @RabbitListener} methods), checks their signature and compiles their filter at
 * once, so a wrong method fails start-up naming itself. The observer handlers take them
 * with {@link #handlers(ObserverTypes)} once every singleton is created, and look them up
 * beside the {@code EventHandler} beans.
 */
public class EventObserverHandlerPostProcessor implements BeanPostProcessor {

	private final Set<Class<?>> withoutHandlerMethods = ConcurrentHashMap.newKeySet();

	private final List<Found> found = new CopyOnWriteArrayList<>();

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.withoutHandlerMethods.contains(targetClass)) {
			return bean;
		}
		Map<Method, EventObserverHandler> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<EventObserverHandler>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, EventObserverHandler.class));
		if (methods.isEmpty()) {
			this.withoutHandlerMethods.add(targetClass);
			return bean;
		}
		methods.forEach((method, annotation) -> this.found.add(adapt(bean, beanName, method, annotation)));
		return bean;
	}

	private static Found adapt(Object bean, String beanName, Method method, EventObserverHandler annotation) {
		String name = beanName + " (" + ClassUtils.getUserClass(method.getDeclaringClass()).getSimpleName() + "#"
				+ method.getName() + ")";
		Class<?>[] parameters = method.getParameterTypes();
		if (Modifier.isStatic(method.getModifiers()) || parameters.length != 2 || parameters[1] != Event.class
				|| (method.getReturnType() != void.class && method.getReturnType() != EventOutcome.class)) {
			throw new EventHandlerMethodException(name,
					"its signature is " + signature(method)
							+ "; write an instance method `void on(MyObserver observer, Event event)`, or one that "
							+ "returns EventOutcome, where MyObserver is an EventObserver entity");
		}
		if (!EventObserver.class.isAssignableFrom(parameters[0])) {
			throw new EventHandlerMethodException(name, "its first parameter, " + parameters[0].getName()
					+ ", is not an EventObserver entity; take the observer entity the events are for");
		}
		Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
		return new Found(parameters[0], new MethodEventHandler(bean, invocable, name, filter(name, annotation)));
	}

	private static String signature(Method method) {
		return method.getReturnType().getSimpleName() + " " + method.getName() + "("
				+ java.util.Arrays.stream(method.getParameterTypes())
					.map(Class::getSimpleName)
					.collect(Collectors.joining(", "))
				+ ")";
	}

	/**
	 * The filter the annotation's attributes describe.
	 */
	static EventFilter filter(String name, EventObserverHandler annotation) {
		EventFilter.Builder filter = EventFilter.builder();
		try {
			values(filter, "type", annotation.type());
			values(filter, "action", annotation.action());
			values(filter, "eventful_type", annotation.eventfulType());
			values(filter, "user_id", annotation.userId());
			values(filter, "publisher_id", annotation.publisherId());
			for (EventObserverHandler.Match match : annotation.where()) {
				if ((match.value().length == 0) == match.regex().isEmpty()) {
					throw new IllegalArgumentException(
							"the condition on " + match.field() + " needs either value or regex, not both or neither");
				}
				if (match.regex().isEmpty()) {
					filter.field(match.field(), match.value());
				}
				else {
					filter.fieldMatching(match.field(), match.regex());
				}
			}
		}
		catch (IllegalArgumentException ex) {
			throw new EventHandlerMethodException(name, "its filter is wrong: " + ex.getMessage());
		}
		return filter.build();
	}

	private static void values(EventFilter.Builder filter, String field, String[] values) {
		if (values.length > 0) {
			filter.field(field, values);
		}
	}

	/**
	 * The handler methods found so far, each checked against the observer types.
	 * @param types the observer types
	 * @return the methods as handlers
	 * @throws EventHandlerMethodException for a method whose first parameter is not an
	 * observer entity the application has
	 */
	public List<NamedHandler> handlers(ObserverTypes types) {
		Set<Class<?>> observerClasses = types.all().stream().map(ObserverType::javaType).collect(Collectors.toSet());
		List<NamedHandler> handlers = new ArrayList<>();
		for (Found method : this.found) {
			if (!observerClasses.contains(method.observerClass())) {
				throw new EventHandlerMethodException(method.handler().toString(),
						"its first parameter, " + method.observerClass().getName()
								+ ", is not an observer entity of this application (none of "
								+ observerClasses.stream().map(Class::getSimpleName).sorted().toList()
								+ "); make it a JPA entity implementing EventObserver, or take one of those");
			}
			handlers.add(new NamedHandler(method.handler().toString(), method.observerClass(), method.handler()));
		}
		return handlers;
	}

	private record Found(Class<?> observerClass, MethodEventHandler handler) {
	}

}
