/**
 * Logging support: log lines that repeat are rate-limited.
 */
@NullMarked
package io.eventlistener.logging;

import org.jspecify.annotations.NullMarked;
