package io.eventlistener.test;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * Clears the {@link EventListenerTester}'s recordings before each test, so a test sees
 * only what it caused. Registered by {@link AutoConfigureEventListenerTester}.
 */
public class EventListenerTesterExtension implements BeforeEachCallback {

	@Override
	public void beforeEach(ExtensionContext context) {
		SpringExtension.getApplicationContext(context)
			.getBeanProvider(EventListenerTester.class)
			.ifAvailable(EventListenerTester::reset);
	}

}
