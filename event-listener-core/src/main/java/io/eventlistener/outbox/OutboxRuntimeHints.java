package io.eventlistener.outbox;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * What an ahead-of-time processed application reads of the outbox at run time: the outbox
 * table's schema scripts, one per database, which the schema initializer loads from the
 * classpath by name. Listed in {@code META-INF/spring/aot.factories}.
 */
public class OutboxRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.resources().registerPattern("io/eventlistener/outbox/schema-*.sql");
	}

}
