/**
 * Spring Boot Actuator support: the event listener's health indicator and its
 * {@code eventlistener} endpoint.
 */
@NullMarked
package io.eventlistener.actuate;

import org.jspecify.annotations.NullMarked;
