package io.eventlistener.watch;

import java.util.List;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Calls {@link ModelWatcherListener listeners}, so that one that fails neither stops the
 * others nor the watcher.
 */
final class ModelWatcherListeners {

	private static final Log logger = LogFactory.getLog(ModelWatcherListeners.class);

	private ModelWatcherListeners() {
	}

	static void notify(List<ModelWatcherListener> listeners, Consumer<ModelWatcherListener> call) {
		for (ModelWatcherListener listener : listeners) {
			try {
				call.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.warn("ModelWatcherListener " + listener + " failed: " + ex);
			}
		}
	}

}
