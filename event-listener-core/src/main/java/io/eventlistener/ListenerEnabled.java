package io.eventlistener;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the boolean attribute of an {@link EventObserver} entity that says whether a row
 * listens. Active observers are then loaded with {@code where attribute = true}, so
 * disabled rows never leave the database. Without it every row is loaded and
 * {@link EventObserver#isListenerEnabled()} alone decides.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.FIELD, ElementType.METHOD })
public @interface ListenerEnabled {

}
