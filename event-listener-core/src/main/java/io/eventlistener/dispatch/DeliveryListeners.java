package io.eventlistener.dispatch;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import io.eventlistener.logging.ListenerNotifier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.retry.MessageRecoverer;

/**
 * Tells every {@link DeliveryListener} about a delivery, each in turn; a listener that
 * throws is logged (rate-limited) and skipped, so listeners can never change what happens
 * to a delivery. Each method has the meaning of the {@link DeliveryListener} method of
 * the same name.
 */
public final class DeliveryListeners {

	private static final Log logger = LogFactory.getLog(DeliveryListeners.class);

	private final ListenerNotifier<DeliveryListener> listeners;

	public DeliveryListeners(List<DeliveryListener> listeners) {
		this.listeners = new ListenerNotifier<>("DeliveryListener", listeners, logger);
	}

	public void handled(EventDelivery delivery, Duration duration) {
		this.listeners.notify((listener) -> listener.handled(delivery, duration));
	}

	public void failed(EventDelivery delivery, Duration duration, Exception failure) {
		this.listeners.notify((listener) -> listener.failed(delivery, duration, failure));
	}

	public void requeued(EventDelivery delivery, Duration duration) {
		this.listeners.notify((listener) -> listener.requeued(delivery, duration));
	}

	public void rejected(EventDelivery delivery, Duration duration) {
		this.listeners.notify((listener) -> listener.rejected(delivery, duration));
	}

	public void filtered(EventDelivery delivery) {
		this.listeners.notify((listener) -> listener.filtered(delivery));
	}

	public void duplicate(EventDelivery delivery) {
		this.listeners.notify((listener) -> listener.duplicate(delivery));
	}

	public void gaveUp(String queue, boolean deadLettered) {
		this.listeners.notify((listener) -> listener.gaveUp(queue, deadLettered));
	}

	public void malformed(String queue, String reason) {
		this.listeners.notify((listener) -> listener.malformed(queue, reason));
	}

	/**
	 * Wrap the recoverer that takes deliveries no longer tried, so the listeners hear
	 * about each one it dead-lettered or discarded (a recoverer that throws returned the
	 * delivery to its queue instead, which is not reported). The listeners are looked up
	 * on first use, because they may depend on the consumers the recoverer serves.
	 * @param recoverer the recoverer
	 * @param deadLettering whether it dead-letters ({@code false}: it discards)
	 * @param listeners supplies the listeners
	 * @return the wrapping recoverer
	 */
	public static MessageRecoverer notifying(MessageRecoverer recoverer, boolean deadLettering,
			Supplier<DeliveryListeners> listeners) {
		return (Message message, Throwable cause) -> {
			recoverer.recover(message, cause);
			listeners.get().gaveUp(message.getMessageProperties().getConsumerQueue(), deadLettering);
		};
	}

}
