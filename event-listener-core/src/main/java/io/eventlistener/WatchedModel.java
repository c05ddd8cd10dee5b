package io.eventlistener;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Opts a JPA entity that is not an {@link io.eventlistener.EventObserver} into the model
 * watcher (isimud's {@code include Isimud::ModelWatcher}): after each committed create,
 * update or destroy of a row, a model-watcher message goes to the models exchange.
 * Observer entities are watched without it.
 * <p>
 * Only the attributes marked {@link Watched} travel in the message, and only a change to
 * one of them publishes an update; with none marked, creates and destroys are published
 * with empty {@code attributes} and updates are not. Nothing is sent that was not marked,
 * so a new sensitive column never leaks by default.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface WatchedModel {

}
