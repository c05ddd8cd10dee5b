/**
 * The binding audit: bindings on this application's observer queues that no observer row
 * asks for, read from the broker (its management API), and their removal.
 * <p>
 * Internal to event-listener: public for the other packages and the auto-configuration,
 * not API; it may change in any release.
 */
@NullMarked
package io.eventlistener.audit;

import org.jspecify.annotations.NullMarked;
