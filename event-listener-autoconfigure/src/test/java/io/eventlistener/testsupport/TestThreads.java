package io.eventlistener.testsupport;

import java.util.concurrent.ThreadFactory;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Thread factories for library classes built by hand in a test, where the starter's
 * {@code EventListenerThreads} would hand them one.
 */
public final class TestThreads {

	private TestThreads() {
	}

	/**
	 * A factory of daemon threads named {@code <role>-N}.
	 * @param role names the threads
	 * @return the factory
	 */
	public static ThreadFactory daemon(String role) {
		CustomizableThreadFactory threads = new CustomizableThreadFactory(role + "-");
		threads.setDaemon(true);
		return threads;
	}

}
