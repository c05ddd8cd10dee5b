/**
 * Webhook-style subscriptions: each subscription row observes events and records a
 * delivery for every event it receives.
 */
@NullMarked
package io.eventlistener.sample;

import org.jspecify.annotations.NullMarked;
