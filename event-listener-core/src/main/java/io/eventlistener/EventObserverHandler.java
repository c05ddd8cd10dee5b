package io.eventlistener;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Marks a bean method as the handler of one {@link EventObserver} type, as an
 * {@link EventHandler} bean would be (the two are interchangeable, and each type still
 * has exactly one handler):
 *
 * <pre class="code">
 * &#64;Component
 * class SubscriptionEvents {
 *
 *     &#64;EventObserverHandler(action = { "create", "update" },
 *             where = &#64;EventObserverHandler.Match(field = "parameters.plan", regex = "gold|platinum"))
 *     EventOutcome on(Subscription subscription, Event event) {
 *         ...
 *         return EventOutcome.HANDLED;
 *     }
 *
 * }
 * </pre>
 *
 * The method takes the observer entity and the {@link Event}, and returns {@code void} or
 * an {@link EventOutcome}; it may throw, as {@link EventHandler#handle} may. The
 * attributes make its {@link EventFilter}: every one given must hold. Methods are found
 * once, at start-up, after the bean is initialised (on a proxy, the proxy is called, so
 * {@code @Transactional} applies); a wrong signature, a type that is not an observer
 * entity, or a second handler for a type fails start-up. {@link Reflective}: an
 * ahead-of-time processed application keeps each such method of a bean invocable.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective
public @interface EventObserverHandler {

	/**
	 * The event types wanted ({@code type}), any when empty.
	 * @return the types
	 */
	String[] type() default {};

	/**
	 * The actions wanted ({@code action}), any when empty.
	 * @return the actions
	 */
	String[] action() default {};

	/**
	 * The eventful types wanted ({@code eventful_type}), any when empty.
	 * @return the eventful types
	 */
	String[] eventfulType() default {};

	/**
	 * The user ids wanted ({@code user_id}), any when empty.
	 * @return the user ids
	 */
	String[] userId() default {};

	/**
	 * The publisher ids wanted (AMQP {@code app_id}), any when empty; a delivery without
	 * one then matches nothing.
	 * @return the publisher ids
	 */
	String[] publisherId() default {};

	/**
	 * Further conditions: paths into {@code parameters} and {@code attributes}, and
	 * regular expressions.
	 * @return the conditions
	 */
	Match[] where() default {};

	/**
	 * One condition of the filter: a field (see {@link EventFilter#FIELDS}, or
	 * {@code parameters.…} / {@code attributes.…}) and either the values it may have or a
	 * regular expression it must match as a whole.
	 */
	@Target({})
	@Retention(RetentionPolicy.RUNTIME)
	@Documented
	@interface Match {

		/**
		 * The field, such as {@code parameters.plan}.
		 * @return the field
		 */
		String field();

		/**
		 * The values the field may have.
		 * @return the values
		 */
		String[] value() default {};

		/**
		 * A regular expression the field must match, instead of values.
		 * @return the expression
		 */
		String regex() default "";

	}

}
