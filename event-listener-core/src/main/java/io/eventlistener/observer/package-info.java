/**
 * Observer types found in the JPA metamodel (the allow-list), their canonical names and
 * queue names, and loading the active observer rows.
 * <p>
 * Internal to event-listener: public for the other packages and the auto-configuration,
 * not API; it may change in any release.
 */
@NullMarked
package io.eventlistener.observer;

import org.jspecify.annotations.NullMarked;
