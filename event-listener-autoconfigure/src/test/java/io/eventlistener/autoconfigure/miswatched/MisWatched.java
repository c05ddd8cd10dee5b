package io.eventlistener.autoconfigure.miswatched;

import io.eventlistener.Watched;
import io.eventlistener.WatchedModel;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Transient;
import org.jspecify.annotations.Nullable;

/**
 * A watched entity that marks an attribute Hibernate does not persist: start-up must fail
 * and say so.
 */
@Entity
@WatchedModel
public class MisWatched {

	@Id
	private @Nullable Long id;

	@Watched
	@Transient
	private @Nullable String computed;

}
