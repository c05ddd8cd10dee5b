package io.eventlistener.registry;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@link ObserverConsumers} that know which queues have lost their consumer (for health)
 * and hand a queue the broker says is gone to a handler that may declare it again.
 */
public interface MonitoredConsumers extends ObserverConsumers {

	/**
	 * The consumed queues that have lost their consumer, and for how long.
	 * @return how long each has been without a consumer, by queue
	 */
	Map<String, Duration> unconsumed();

	/**
	 * Hand every queue whose consumer the broker cancelled because the queue is gone (or
	 * that a passive declaration found missing) to a handler, on a thread of its own, one
	 * call at a time per queue.
	 * @param handler takes the queue name; it may declare the queue again
	 */
	void setLostQueueHandler(Consumer<String> handler);

}
