/**
 * The model watcher, isimud's {@code ModelWatcher} and the listener's observer queue:
 * publishing a message after each committed change of a watched entity, and consuming
 * those messages on an exclusive per-process queue to register, rebind and unregister
 * observers live.
 * <p>
 * Internal to event-listener: public for the other packages and the auto-configuration,
 * not API; it may change in any release.
 */
@NullMarked
package io.eventlistener.watch;

import org.jspecify.annotations.NullMarked;
