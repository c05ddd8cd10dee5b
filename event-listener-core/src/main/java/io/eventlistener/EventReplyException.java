package io.eventlistener;

/**
 * A request's handler failed: the error reply it sent. On the wire an error reply has the
 * header {@value #HEADER} (the exception's simple class name) and the JSON body
 * {@code {"error": "<simple class name>", "code": "handler-failed"}}, with
 * {@code "message": "<its message>"} only when the replier sends exception messages
 * ({@code event-listener.replies.include-exception-message}); without one, this
 * exception's message ends with the code.
 */
public class EventReplyException extends RuntimeException {

	/** The header that marks an error reply. */
	public static final String HEADER = "event-listener-error";

	private final String error;

	/**
	 * Create a new {@code EventReplyException}.
	 * @param error the simple class name of the handler's exception
	 * @param message its message, or the error code when the replier sent none
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
