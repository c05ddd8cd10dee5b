package io.eventlistener.dispatch;

import java.time.Duration;

import io.eventlistener.Event;
import io.eventlistener.EventFailure;
import io.eventlistener.lifecycle.ErrorBudget;
import io.eventlistener.logging.LogSanitizer;
import io.eventlistener.logging.RateLimitedLog;
import io.eventlistener.registry.ObserverRegistration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.amqp.core.MessageProperties;

/**
 * The one place that decides what becomes of a handler call that did not return normally,
 * before the {@link DeliveryPipeline} acts on the decision:
 * <ul>
 * <li>the handler requeued it ({@link ImmediateRequeueAmqpException}): tried again in
 * place after the {@link RequeueBackOff}, and dead-lettered once the requeues are used
 * up;</li>
 * <li>the handler rejected it ({@link AmqpRejectAndDontRequeueException}): dead-lettered
 * at once;</li>
 * <li>a resource the handlers need is down ({@link OutagePause#isOutage}): consuming
 * pauses until it answers, then the handler is called again in place;</li>
 * <li>any other failure: the exception handlers vote whether it may be retried, it counts
 * against the {@link ErrorBudget}, and it is thrown as an {@link EventHandlingException}
 * that says so; the pipeline then retries in place or dead-letters.</li>
 * </ul>
 * Requeues and rejections are a handler's own outcomes, not failures: they run no
 * exception handler and cost no error budget.
 */
final class FailedDeliveryPolicy {

	private static final Log logger = LogFactory.getLog(EventDispatcher.class);

	private final ExceptionHandlerChain exceptionHandlers;

	private final ErrorBudget errorBudget;

	private final DeliveryListeners listeners;

	private final @Nullable OutagePause outagePause;

	private final RateLimitedLog requeuedLog = new RateLimitedLog(logger);

	private RequeueBackOff requeueBackOff = RequeueBackOff.defaults();

	FailedDeliveryPolicy(ExceptionHandlerChain exceptionHandlers, ErrorBudget errorBudget, DeliveryListeners listeners,
			@Nullable OutagePause outagePause) {
		this.exceptionHandlers = exceptionHandlers;
		this.errorBudget = errorBudget;
		this.listeners = listeners;
		this.outagePause = outagePause;
	}

	void setRequeueBackOff(RequeueBackOff requeueBackOff) {
		this.requeueBackOff = requeueBackOff;
	}

	/** Wait while consuming is paused for an outage. */
	void awaitNotPaused() {
		OutagePause pause = this.outagePause;
		if (pause != null) {
			pause.awaitNotPaused();
		}
	}

	/**
	 * Decide after a handler call threw: return (after the wait) to call it again in
	 * place, or throw what the pipeline acts on.
	 * @param delivery the delivery
	 * @param properties its properties, where the dead-letter headers go
	 * @param attempt its attempt (the pipeline's retries count)
	 * @param replies where a reply handler's failure goes, or {@code null}
	 * @param ex what the handler threw
	 * @param startNanos when the call started
	 * @param requeues how often the handler requeued it so far
	 * @return the requeues so far, to call the handler again
	 */
	int afterFailure(EventDelivery delivery, MessageProperties properties, int attempt, @Nullable EventReplies replies,
			Exception ex, long startNanos, int requeues) {
		if (ex instanceof ImmediateRequeueAmqpException requeue) {
			return requeued(delivery, properties, requeue, startNanos, requeues);
		}
		if (ex instanceof AmqpRejectAndDontRequeueException reject) {
			this.listeners.rejected(delivery, since(startNanos));
			markObserver(delivery, properties);
			throw new EventHandlingException(
					who(delivery) + " rejected event " + routingKey(delivery) + ": " + reject.getMessage(), reject,
					false);
		}
		this.listeners.failed(delivery, since(startNanos), ex);
		OutagePause pause = this.outagePause;
		if (pause == null || !pause.isOutage(ex)) {
			// the requester hears of the first failure (a retry's later answer is one
			// reply too many for it), instead of waiting for its timeout
			if (replies != null) {
				replies.replyError(properties, ex);
			}
			throw failure(delivery, properties, attempt, ex);
		}
		// not the event's fault: wait for the resource, then try again in place
		pause.awaitRecovery(ex);
		return requeues;
	}

	private int requeued(EventDelivery delivery, MessageProperties properties, ImmediateRequeueAmqpException ex,
			long startNanos, int requeuesSoFar) {
		this.listeners.requeued(delivery, since(startNanos));
		if (requeuesSoFar == this.requeueBackOff.maxRequeues()) {
			throw requeueLimit(delivery, properties, requeuesSoFar, ex);
		}
		int requeues = requeuesSoFar + 1;
		properties.setHeader(DeadLetterRecoverer.REQUEUES_HEADER, requeues);
		this.requeuedLog.info(() -> who(delivery) + " requeued event " + routingKey(delivery) + " (requeue " + requeues
				+ " of " + this.requeueBackOff.maxRequeues() + ", tried again in "
				+ this.requeueBackOff.interval(requeues).toMillis() + " ms): " + ex.getMessage());
		this.requeueBackOff.await(requeues);
		return requeues;
	}

	static Duration since(long startNanos) {
		return Duration.ofNanos(System.nanoTime() - startNanos);
	}

	/**
	 * The handler asked for a requeue once more than allowed: dead-letter it, with the
	 * last reason (not as the cause, which the recoverer would requeue again).
	 */
	private EventHandlingException requeueLimit(EventDelivery delivery, MessageProperties properties, int requeues,
			ImmediateRequeueAmqpException ex) {
		markObserver(delivery, properties);
		String text = who(delivery) + " requeued event " + routingKey(delivery) + ": still requeued after " + requeues
				+ " requeue(s) (event-listener.requeue.max-requeues): " + ex.getMessage();
		return new EventHandlingException(text, new RequeueLimitException(text), false);
	}

	/** The routing key came from the wire: escaped before it is logged. */
	private static String routingKey(EventDelivery delivery) {
		return LogSanitizer.sanitize(delivery.event().routingKey());
	}

	private static String who(EventDelivery delivery) {
		ObserverRegistration observer = delivery.observer();
		return (observer != null) ? "Handler of observer " + observer.key() : "Handler of queue " + delivery.queue();
	}

	/**
	 * Name the observer in the delivery's headers, for the dead-letter copy should this
	 * delivery end there.
	 */
	private static void markObserver(EventDelivery delivery, MessageProperties properties) {
		ObserverRegistration observer = delivery.observer();
		if (observer != null) {
			properties.setHeader(DeadLetterRecoverer.OBSERVER_HEADER, observer.key().toString());
		}
	}

	private EventHandlingException failure(EventDelivery delivery, MessageProperties properties, int attempt,
			Exception ex) {
		ObserverRegistration observer = delivery.observer();
		String who = (observer != null) ? "Handler of observer " + observer.key() : "Handler of queue";
		markObserver(delivery, properties);
		Event event = delivery.event();
		boolean retry = this.exceptionHandlers.retry(new EventFailure(delivery.queue(),
				(observer != null) ? observer.observer() : null, event, attempt, ex));
		String text = who + " (queue " + delivery.queue() + ") failed on event "
				+ LogSanitizer.sanitize(event.routingKey()) + ", attempt " + attempt + ": " + ex;
		logger.warn(text);
		this.errorBudget.record(ex);
		return new EventHandlingException(text, ex, retry);
	}

}
