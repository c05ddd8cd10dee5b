/**
 * Delivering events: from a queue's delivery to the observer's {@code EventHandler}.
 */
@NullMarked
package io.eventlistener.dispatch;

import org.jspecify.annotations.NullMarked;
