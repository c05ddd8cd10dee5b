/**
 * Logging support: log lines that repeat are rate-limited, and a listener that fails is
 * logged and skipped.
 * <p>
 * Internal to event-listener: public for the other packages and the auto-configuration,
 * not API; it may change in any release.
 */
@NullMarked
package io.eventlistener.logging;

import org.jspecify.annotations.NullMarked;
