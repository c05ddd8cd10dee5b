package io.eventlistener;

/**
 * A request's handler failed: the error reply it sent. On the wire an error reply has the
 * header {@value #HEADER} (the exception's simple class name) and the JSON body
 * {@code {"error": "<simple class name>", "message": "<its message>"}}.
 */
public class EventReplyException extends RuntimeException {

	/** The header that marks an error reply. */
	public static final String HEADER = "event-listener-error";

	private final String error;

	/**
	 * Create a new {@code EventReplyException}.
	 * @param error the simple class name of the handler's exception
	 * @param message its message
	 */
	public EventReplyException(String error, String message) {
		super("The request's handler failed: " + error + ": " + message);
		this.error = error;
	}

	/**
	 * Return the simple class name of the handler's exception.
	 * @return the simple class name of the handler's exception
	 */
	public String getError() {
		return this.error;
	}

}
