/**
 * Replaying dead letters: back to their observer's queue, or their original exchange,
 * once the cause of their failure is fixed.
 * <p>
 * Internal to event-listener: public for the other packages and the auto-configuration,
 * not API; it may change in any release.
 */
@NullMarked
package io.eventlistener.replay;

import org.jspecify.annotations.NullMarked;
