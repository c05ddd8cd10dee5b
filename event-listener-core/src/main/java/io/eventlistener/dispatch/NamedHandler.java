package io.eventlistener.dispatch;

import io.eventlistener.EventHandler;

/**
 * A handler that is not an {@link EventHandler} bean of its own, such as an annotated
 * method, with the name start-up errors give it.
 *
 * @param name how errors name it, such as {@code billing (Billing#on)}
 * @param observerType the observer entity class it handles
 * @param handler the handler
 */
public record NamedHandler(String name, Class<?> observerType, EventHandler<?> handler) {

}
