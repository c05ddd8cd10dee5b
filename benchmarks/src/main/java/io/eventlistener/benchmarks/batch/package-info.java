/**
 * The batch-handler benchmark's application.
 */
@NullMarked
package io.eventlistener.benchmarks.batch;

import org.jspecify.annotations.NullMarked;
