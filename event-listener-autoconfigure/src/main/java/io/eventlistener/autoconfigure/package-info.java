/**
 * Spring Boot auto-configuration: wires the library classes together from
 * {@code event-listener.*} properties. Nothing outside this package depends on it.
 */
@NullMarked
package io.eventlistener.autoconfigure;

import org.jspecify.annotations.NullMarked;
