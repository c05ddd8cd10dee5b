package io.eventlistener.inbox;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * What an ahead-of-time processed application reads of the inbox at run time: the inbox
 * table's schema scripts, one per database, which the schema initializer loads from the
 * classpath by name. Listed in {@code META-INF/spring/aot.factories}.
 */
public class InboxRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.resources().registerPattern("io/eventlistener/inbox/schema-*.sql");
	}

}
