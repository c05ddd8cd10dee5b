/**
 * The inbox benchmark's application.
 */
@NullMarked
package io.eventlistener.benchmarks.inbox;

import org.jspecify.annotations.NullMarked;
