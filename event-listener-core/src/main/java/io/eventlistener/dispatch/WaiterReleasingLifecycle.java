package io.eventlistener.dispatch;

import io.eventlistener.lifecycle.EventListenerLifecycle;

import org.springframework.context.SmartLifecycle;

/**
 * A lifecycle whose work is to hold handler threads waiting and to let them go: stopping
 * wakes every thread waiting on {@link #lock()}, whose delivery then goes back to its
 * queue. It stops just before the listener's consumers, which wait for in-flight
 * handlers, so a graceful stop is never held up by a wait.
 */
abstract class WaiterReleasingLifecycle implements SmartLifecycle {

	private final Object lock = new Object();

	private volatile boolean running;

	/**
	 * Create a new {@code WaiterReleasingLifecycle}.
	 * @param running whether it counts as running before the context starts it
	 */
	WaiterReleasingLifecycle(boolean running) {
		this.running = running;
	}

	/**
	 * Return the monitor that waiting threads wait on; {@link #stop()} notifies it.
	 * @return the monitor
	 */
	protected final Object lock() {
		return this.lock;
	}

	@Override
	public void start() {
		this.running = true;
	}

	/**
	 * Release the waiting threads, whose deliveries go back to their queues.
	 */
	@Override
	public void stop() {
		synchronized (this.lock) {
			this.running = false;
			this.lock.notifyAll();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Stops before the listener's consumers, which wait for in-flight handlers.
	 */
	@Override
	public int getPhase() {
		return EventListenerLifecycle.PHASE + 1;
	}

}
