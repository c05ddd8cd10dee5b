/**
 * Failure analyzers: a start-up failure of the event listener reported in Spring Boot's
 * "APPLICATION FAILED TO START" box with its cause and what to change.
 */
@NullMarked
package io.eventlistener.autoconfigure.diagnostics;

import org.jspecify.annotations.NullMarked;
