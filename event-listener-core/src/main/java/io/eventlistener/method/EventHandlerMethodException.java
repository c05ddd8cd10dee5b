package io.eventlistener.method;

/**
 * An {@code @EventObserverHandler} method that cannot be a handler: a wrong signature, a
 * filter that names an unknown field, or a first parameter that is not an observer
 * entity. The message names the method, what is wrong and what to write instead.
 */
public class EventHandlerMethodException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final String method;

	private final String problem;

	/**
	 * Create a new {@code EventHandlerMethodException}.
	 * @param method the method, as {@code beanName (Class#method)}
	 * @param problem what is wrong with it
	 */
	public EventHandlerMethodException(String method, String problem) {
		super("@EventObserverHandler method " + method + ": " + problem);
		this.method = method;
		this.problem = problem;
	}

	/** The method, as {@code beanName (Class#method)}. */
	public String getMethod() {
		return this.method;
	}

	/** What is wrong with it. */
	public String getProblem() {
		return this.problem;
	}

}
