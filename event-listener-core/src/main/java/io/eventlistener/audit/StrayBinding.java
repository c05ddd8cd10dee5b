package io.eventlistener.audit;

/**
 * A binding on an observer queue that no observer row asks for: the queue receives events
 * its row does not want (isimud's listener binds a row's old keys again after a change
 * made here, and never unbinds), or the queue of a disabled or deleted row is still
 * bound.
 *
 * @param queue the observer queue
 * @param exchange the exchange it is bound to
 * @param routingKey the binding's routing key
 * @param observer the observer the queue belongs to, {@code Type#id}
 * @param registered whether that observer is registered here (its row is active), so the
 * binding is only not one of its routing keys
 */
public record StrayBinding(String queue, String exchange, String routingKey, String observer, boolean registered) {

	@Override
	public String toString() {
		return this.queue + " <- " + this.exchange + " '" + this.routingKey + "'"
				+ (this.registered ? "" : " (no active row)");
	}

}
