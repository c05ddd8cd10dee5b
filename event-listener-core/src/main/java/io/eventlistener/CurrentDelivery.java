package io.eventlistener;

/**
 * What the broker said about the delivery being handled on the current thread, for a
 * handler that cares: in particular whether it is a redelivery (the broker delivered it
 * before, to a consumer that did not acknowledge it, typically one whose instance died),
 * so that an {@link DeliveryMode#ORDERED ordered} handler can tell an event it may have
 * applied already. Set around every handler call by the listener's delivery pipeline.
 */
public final class CurrentDelivery {

	private static final ThreadLocal<Boolean> REDELIVERED = new ThreadLocal<>();

	private CurrentDelivery() {
	}

	/**
	 * Whether the delivery being handled on this thread was delivered before.
	 * @return {@code true} for a redelivery; {@code false} for a first delivery or
	 * outside a handler
	 */
	public static boolean isRedelivered() {
		return Boolean.TRUE.equals(REDELIVERED.get());
	}

	/**
	 * Run a delivery's handling with its flag set; for the listener's delivery pipeline.
	 * @param redelivered the broker's redelivered flag
	 * @param handling the handling
	 * @return what the handling returned
	 * @throws Throwable what the handling threw
	 */
	public static Object with(boolean redelivered, Handling handling) throws Throwable {
		Boolean previous = REDELIVERED.get();
		REDELIVERED.set(redelivered);
		try {
			return handling.proceed();
		}
		finally {
			if (previous == null) {
				REDELIVERED.remove();
			}
			else {
				REDELIVERED.set(previous);
			}
		}
	}

	/**
	 * A delivery's handling.
	 */
	@FunctionalInterface
	public interface Handling {

		Object proceed() throws Throwable;

	}

}
