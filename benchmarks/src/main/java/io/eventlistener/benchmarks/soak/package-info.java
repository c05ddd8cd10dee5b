/**
 * The Spring Boot application the soak run keeps under load: the starter, one observer
 * entity, one handler that needs the database.
 */
@NullMarked
package io.eventlistener.benchmarks.soak;

import org.jspecify.annotations.NullMarked;
