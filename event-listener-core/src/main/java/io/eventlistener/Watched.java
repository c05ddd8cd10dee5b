package io.eventlistener;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a basic persistent attribute of a watched entity (an
 * {@link io.eventlistener.EventObserver} or a {@link WatchedModel}) as watched, isimud's
 * {@code watch_attributes}: it travels in the model-watcher message's {@code attributes},
 * and a change to it publishes an update. Put it on the field, or on the getter of a
 * property-access entity. A mark on anything that is not a basic persistent attribute
 * fails start-up.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.FIELD, ElementType.METHOD })
public @interface Watched {

	/**
	 * The key in the message's {@code attributes}.
	 * @return the key, or empty (the default) for the attribute name in snake_case, as a
	 * Rails column would be named
	 */
	String name() default "";

}
