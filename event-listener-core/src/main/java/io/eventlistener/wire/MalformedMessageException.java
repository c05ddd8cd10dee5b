package io.eventlistener.wire;

/**
 * A message body that is not what the wire format allows: not JSON, not an object, or a
 * field of the wrong kind. The message says which.
 */
public class MalformedMessageException extends RuntimeException {

	public MalformedMessageException(String message) {
		super(message);
	}

	public MalformedMessageException(String message, Throwable cause) {
		super(message, cause);
	}

}
