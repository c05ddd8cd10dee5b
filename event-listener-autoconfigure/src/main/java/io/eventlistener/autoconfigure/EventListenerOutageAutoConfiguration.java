package io.eventlistener.autoconfigure;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.eventlistener.dispatch.OutageClassifier;
import io.eventlistener.dispatch.OutagePause;
import io.eventlistener.lifecycle.EventListenerLifecycle;
import io.eventlistener.registry.ObserverConsumers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Pausing consumers during an outage of the database ({@link OutagePause}): the default
 * {@link OutageClassifier} plus every {@code OutageClassifier} bean, and a probe that
 * asks the {@link DataSource} for a valid connection. Switch it off with
 * {@code event-listener.outage.enabled=false}.
 */
@AutoConfiguration(after = EventListenerAutoConfiguration.class)
@ConditionalOnBean({ ObserverConsumers.class, EventListenerLifecycle.class, DataSource.class })
@ConditionalOnBooleanProperty(name = "event-listener.outage.enabled", matchIfMissing = true)
@EnableConfigurationProperties(EventListenerProperties.class)
public final class EventListenerOutageAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	OutagePause eventListenerOutagePause(ObjectProvider<OutageClassifier> classifiers,
			ObjectProvider<OutagePause.Probe> probesOfTheApplication, DataSource dataSource,
			EventListenerProperties properties, ObjectProvider<Clock> clock, Environment environment) {
		List<OutageClassifier> all = new ArrayList<>();
		all.add(OutageClassifier.defaults());
		classifiers.orderedStream().forEach(all::add);
		EventListenerProperties.Outage outage = properties.getOutage();
		List<OutagePause.Probe> probes = new ArrayList<>();
		probes.add(() -> probe(dataSource));
		probesOfTheApplication.orderedStream().forEach(probes::add);
		OutagePause.Probe everyProbe = () -> {
			for (OutagePause.Probe probe : probes) {
				probe.check();
			}
		};
		return new OutagePause(OutageClassifier.anyOf(all), everyProbe, outage.getProbeInterval(),
				outage.getMaxProbeInterval(), clock.getIfAvailable(Clock::systemUTC),
				EventListenerThreads.perTask("outage-probe", environment));
	}

	private static void probe(DataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			if (!connection.isValid(2)) {
				throw new SQLException("The database connection is not valid");
			}
		}
	}

}
