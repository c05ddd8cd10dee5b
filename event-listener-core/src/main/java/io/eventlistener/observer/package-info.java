/**
 * Observer types found in the JPA metamodel (the allow-list), their canonical names and
 * queue names, and loading the active observer rows.
 */
@NullMarked
package io.eventlistener.observer;

import org.jspecify.annotations.NullMarked;
