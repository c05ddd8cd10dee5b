/**
 * Replaying dead letters: back to their observer's queue, or their original exchange,
 * once the cause of their failure is fixed.
 */
@NullMarked
package io.eventlistener.replay;

import org.jspecify.annotations.NullMarked;
