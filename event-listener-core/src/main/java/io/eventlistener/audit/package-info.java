/**
 * The binding audit: bindings on this application's observer queues that no observer row
 * asks for, read from the broker (its management API), and their removal.
 */
@NullMarked
package io.eventlistener.audit;

import org.jspecify.annotations.NullMarked;
