/**
 * The Spring Boot application under benchmark.
 */
@NullMarked
package io.eventlistener.benchmarks.app;

import org.jspecify.annotations.NullMarked;
