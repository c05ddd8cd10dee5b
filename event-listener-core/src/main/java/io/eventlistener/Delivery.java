package io.eventlistener;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Chooses the {@link DeliveryMode} of an {@link EventObserver} entity type; without it
 * the type is {@link DeliveryMode#POOL pooled}. The setting
 * {@code event-listener.delivery.observers.<entity name>} wins over it, so a deploy can
 * change the mode without a build.
 *
 * <pre class="code">
 * &#64;Entity
 * &#64;Delivery(DeliveryMode.BROADCAST)
 * public class CacheSubscription implements EventObserver { … }
 * </pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Delivery {

	/**
	 * Return how this type's events are delivered to the running instances.
	 * @return how this type's events are delivered to the running instances
	 */
	DeliveryMode value();

}
