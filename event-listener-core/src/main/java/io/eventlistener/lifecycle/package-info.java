/**
 * Starting and stopping the listener: loading the active observers, then consuming.
 */
@NullMarked
package io.eventlistener.lifecycle;

import org.jspecify.annotations.NullMarked;
