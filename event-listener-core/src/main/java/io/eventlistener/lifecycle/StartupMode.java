package io.eventlistener.lifecycle;

/**
 * Whether the context's start waits until every active observer is consumed.
 */
public enum StartupMode {

	/**
	 * The context's start waits: when it returns, every active observer is consumed (with
	 * 10,000 observers that is tens of seconds before the web server starts).
	 */
	BLOCKING,

	/**
	 * The context's start returns once the consumers run; the observers are loaded and
	 * consumed on a background thread while health says {@code STARTING} with the count
	 * registered so far.
	 */
	BACKGROUND

}
