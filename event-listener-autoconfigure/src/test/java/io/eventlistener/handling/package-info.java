/**
 * Tests of what handlers decide: outcomes, filters, annotated methods.
 */
@NullMarked
package io.eventlistener.handling;

import org.jspecify.annotations.NullMarked;
