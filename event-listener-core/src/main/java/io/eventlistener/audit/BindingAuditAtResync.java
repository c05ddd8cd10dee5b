package io.eventlistener.audit;

import java.util.List;
import java.util.Objects;

import io.eventlistener.watch.ModelWatcherListener;
import io.eventlistener.watch.ObserverSynchronizer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Audits the bindings after every resynchronisation, when the registry has just been
 * brought in line with the rows, and logs what no row asks for: a warning when the
 * finding changed since the last audit, at debug level while it stays the same, so a
 * standing drift is not logged every few minutes. Removes the stray bindings too when
 * told to. Runs on the resynchronising thread, bounded by the management API's timeout; a
 * failure is logged the same way and never fails the resynchronisation. Owned by the
 * {@link BindingAudit} it runs ({@link BindingAudit#auditAtEveryResync}).
 */
class BindingAuditAtResync implements ModelWatcherListener {

	private static final Log logger = LogFactory.getLog(BindingAuditAtResync.class);

	private final BindingAudit audit;

	private final boolean remove;

	private @Nullable Object lastFinding;

	/**
	 * Create a new {@code BindingAuditAtResync}.
	 * @param audit the audit
	 * @param remove whether stray bindings are removed, or only logged
	 */
	BindingAuditAtResync(BindingAudit audit, boolean remove) {
		this.audit = audit;
		this.remove = remove;
	}

	@Override
	public void resynchronised(ObserverSynchronizer.Synchronization result) {
		try {
			List<StrayBinding> stray = this.remove ? this.audit.removeStrayBindings() : this.audit.strayBindings();
			if (stray.isEmpty()) {
				report(stray, "Binding audit: every binding on the observer queues is asked for by an observer row");
			}
			else if (!this.remove) {
				report(stray, "Binding audit: " + stray.size()
						+ " bindings on observer queues that no observer row asks for (a listener sharing the queues,"
						+ " such as isimud's, or a hand-made binding): " + stray
						+ "; remove them with BindingAudit.removeStrayBindings() or"
						+ " DELETE /actuator/eventlistenerbindings");
			}
		}
		catch (RuntimeException ex) {
			report(ex.getMessage(), "Binding audit skipped: " + ex.getMessage());
		}
	}

	private synchronized void report(@Nullable Object finding, String message) {
		boolean changed = !Objects.equals(finding, this.lastFinding);
		this.lastFinding = finding;
		boolean clean = finding instanceof List<?> list && list.isEmpty();
		if (changed && !clean) {
			logger.warn(message);
		}
		else if (changed) {
			logger.info(message);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(message);
		}
	}

}
