package io.eventlistener.replay;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Which dead letters to replay; every part left {@code null} matches all.
 *
 * @param observerType the observer type (its canonical entity name, such as
 * {@code Subscription}), read from the {@code x-event-listener-observer} header
 * @param observer one observer, as {@code Type#id} (such as {@code Subscription#42})
 * @param deadLetteredBefore only dead letters older than this
 * @param deadLetteredAfter only dead letters younger than this
 */
public record ReplayFilter(@Nullable String observerType, @Nullable String observer,
		@Nullable Instant deadLetteredBefore, @Nullable Instant deadLetteredAfter) {

	/** Every dead letter. */
	public static final ReplayFilter ALL = new ReplayFilter(null, null, null, null);

	/**
	 * Tell whether a dead letter matches.
	 * @param observer the header value {@code Type#id}, or {@code null} for a queue of
	 * the application's own
	 * @param deadLetteredAt when it was dead-lettered, or {@code null} when unknown
	 * @return whether the dead letter is to be replayed
	 */
	boolean matches(@Nullable String observer, @Nullable Instant deadLetteredAt) {
		if (this.observer != null && !this.observer.equals(observer)) {
			return false;
		}
		if (this.observerType != null && (observer == null || !observer.startsWith(this.observerType + "#"))) {
			return false;
		}
		if ((this.deadLetteredBefore != null || this.deadLetteredAfter != null) && deadLetteredAt == null) {
			return false;
		}
		if (this.deadLetteredBefore != null && !deadLetteredAt.isBefore(this.deadLetteredBefore)) {
			return false;
		}
		return this.deadLetteredAfter == null || deadLetteredAt.isAfter(this.deadLetteredAfter);
	}

}
