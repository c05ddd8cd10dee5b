package io.eventlistener.sample.broker;

import java.lang.reflect.Field;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.qpid.server.SystemLauncherListener.DefaultSystemLauncherListener;
import org.apache.qpid.server.model.SystemConfig;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ReflectionUtils;

/**
 * Takes Qpid's own JVM shutdown hook ({@code QpidBrokerShutdownHook}) off again once the
 * broker has started, so that the broker stops when the application context destroys it,
 * after every bean that uses it, and not at the same time as Spring Boot's shutdown hook
 * (which let the listener's graceful stop meet a closed broker: {@code No Engine
 * available}, {@code ClosedChannelException}s). Qpid 10 registers the hook
 * unconditionally and offers no setting to switch it off, so the hook is read from the
 * broker's {@code _shutdownHook} field; should a later Qpid rename it, the broker keeps
 * its hook and this says so.
 */
final class QpidShutdownHookRemover extends DefaultSystemLauncherListener {

	static final String HOOK_FIELD = "_shutdownHook";

	private static final Log logger = LogFactory.getLog(QpidShutdownHookRemover.class);

	private volatile @Nullable SystemConfig<?> systemConfig;

	@Override
	public void onContainerResolve(SystemConfig<?> systemConfig) {
		this.systemConfig = systemConfig;
	}

	@Override
	public void afterStartup() {
		SystemConfig<?> systemConfig = this.systemConfig;
		Object broker = (systemConfig != null) ? systemConfig.getContainer() : null;
		Field field = (broker != null) ? ReflectionUtils.findField(broker.getClass(), HOOK_FIELD, Thread.class) : null;
		if (field == null) {
			logger.warn("Qpid's shutdown hook was not found; on a signal the embedded broker may stop before the "
					+ "event listener");
			return;
		}
		ReflectionUtils.makeAccessible(field);
		Thread hook = (Thread) ReflectionUtils.getField(field, broker);
		if (hook != null) {
			Runtime.getRuntime().removeShutdownHook(hook);
		}
	}

}
