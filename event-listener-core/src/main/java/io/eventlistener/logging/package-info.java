/**
 * Logging support: log lines that repeat are rate-limited, and a listener that fails is
 * logged and skipped.
 */
@NullMarked
package io.eventlistener.logging;

import org.jspecify.annotations.NullMarked;
