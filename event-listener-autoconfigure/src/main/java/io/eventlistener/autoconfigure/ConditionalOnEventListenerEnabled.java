package io.eventlistener.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;

/**
 * Matches unless {@code event-listener.enabled} is {@code false}: the one switch that
 * turns the whole starter off, checked by each auto-configuration that creates a bean of
 * its own (as Boot's {@code @ConditionalOnEnabledHealthIndicator} is for the health
 * contributors).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@ConditionalOnBooleanProperty(name = "event-listener.enabled", matchIfMissing = true)
@interface ConditionalOnEventListenerEnabled {

}
