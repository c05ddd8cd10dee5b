package io.eventlistener.autoconfigure;

import java.util.List;

import io.eventlistener.EventQueueBinding;
import io.eventlistener.dispatch.DeliveryListener;
import io.eventlistener.dispatch.EventDispatcher;
import io.eventlistener.dispatch.ObserverHandlers;
import io.eventlistener.lifecycle.EventListenerLifecycle;
import io.eventlistener.observer.ActiveObserverLoader;
import io.eventlistener.observer.ObserverTypes;
import io.eventlistener.observer.QueueNames;
import io.eventlistener.registry.BrokerTopology;
import io.eventlistener.registry.DefaultObserverRegistry;
import io.eventlistener.registry.DirectContainerConsumers;
import io.eventlistener.registry.ObserverConsumers;
import io.eventlistener.registry.ObserverRegistry;
import io.eventlistener.registry.ObserverRegistryListener;
import io.eventlistener.wire.EventCodec;
import jakarta.persistence.EntityManagerFactory;

import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.config.DirectRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.amqp.autoconfigure.DirectRabbitListenerContainerFactoryConfigurer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.util.StringUtils;

/**
 * The event listener: finds the observer types in the JPA metamodel, loads their active
 * rows at start-up, and consumes one durable queue per observer. Needs AMQP and JPA.
 */
@AutoConfiguration(after = { EventPublisherAutoConfiguration.class, HibernateJpaAutoConfiguration.class })
@ConditionalOnClass({ DirectMessageListenerContainer.class, EntityManagerFactory.class })
@ConditionalOnBean({ ConnectionFactory.class, AmqpAdmin.class, EntityManagerFactory.class,
		PlatformTransactionManager.class, EventCodec.class })
@ConditionalOnBooleanProperty(name = "event-listener.enabled", matchIfMissing = true)
@EnableConfigurationProperties(EventListenerProperties.class)
public final class EventListenerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ObserverTypes observerTypes(EntityManagerFactory entityManagerFactory) {
		return ObserverTypes.fromMetamodel(entityManagerFactory.getMetamodel());
	}

	@Bean
	@ConditionalOnMissingBean
	QueueNames observerQueueNames(EventListenerProperties properties, Environment environment) {
		String prefix = properties.getQueuePrefix();
		if (!StringUtils.hasText(prefix)) {
			prefix = environment.getProperty("spring.application.name");
		}
		if (!StringUtils.hasText(prefix)) {
			throw new IllegalStateException("Observer queues are named {prefix}.{type}.{id}: "
					+ "set spring.application.name or event-listener.queue-prefix");
		}
		return new QueueNames(prefix);
	}

	@Bean
	@ConditionalOnMissingBean
	ActiveObserverLoader activeObserverLoader(EntityManagerFactory entityManagerFactory,
			PlatformTransactionManager transactionManager, EventListenerProperties properties) {
		return new ActiveObserverLoader(entityManagerFactory, transactionManager, properties.getLoader().getPageSize());
	}

	@Bean
	@ConditionalOnMissingBean
	BrokerTopology brokerTopology(AmqpAdmin amqpAdmin) {
		return new BrokerTopology(amqpAdmin);
	}

	@Bean
	@ConditionalOnMissingBean(name = "eventListenerContainer")
	DirectMessageListenerContainer eventListenerContainer(ConnectionFactory connectionFactory,
			ObjectProvider<DirectRabbitListenerContainerFactoryConfigurer> configurer,
			EventListenerProperties properties) {
		DirectRabbitListenerContainerFactory factory = new DirectRabbitListenerContainerFactory();
		configurer.ifAvailable((bootSettings) -> bootSettings.configure(factory, connectionFactory));
		factory.setConnectionFactory(connectionFactory);
		factory.setAcknowledgeMode(AcknowledgeMode.AUTO);
		factory.setPrefetchCount(properties.getConsumer().getPrefetch());
		factory.setAutoStartup(false);
		// the dispatcher logs each failure with its context; the container only rejects
		factory.setErrorHandler((failure) -> {
			throw new AmqpRejectAndDontRequeueException(failure);
		});
		DirectMessageListenerContainer container = factory.createListenerContainer(null);
		container.setDefaultRequeueRejected(false);
		return container;
	}

	@Bean
	@ConditionalOnMissingBean
	ObserverConsumers observerConsumers(DirectMessageListenerContainer eventListenerContainer) {
		return new DirectContainerConsumers(eventListenerContainer);
	}

	@Bean
	@ConditionalOnMissingBean
	ObserverRegistry observerRegistry(QueueNames queueNames, EventListenerProperties properties,
			BrokerTopology topology, ObserverConsumers consumers, ObjectProvider<ObserverRegistryListener> listeners) {
		return new DefaultObserverRegistry(queueNames, properties.getExchanges().getEvents(), topology, consumers,
				listeners.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	ObserverHandlers observerHandlers(ListableBeanFactory beanFactory, ObserverTypes types) {
		return ObserverHandlers.fromBeanFactory(beanFactory, types);
	}

	@Bean
	@ConditionalOnMissingBean
	EventDispatcher eventDispatcher(ObserverRegistry registry, ObserverHandlers handlers,
			ObjectProvider<EventQueueBinding> eventQueues, EventCodec codec,
			DirectMessageListenerContainer eventListenerContainer, ObjectProvider<DeliveryListener> deliveryListeners) {
		EventDispatcher dispatcher = new EventDispatcher(registry, handlers, eventQueues.orderedStream().toList(),
				codec, deliveryListeners.orderedStream().toList());
		eventListenerContainer.setMessageListener(dispatcher);
		return dispatcher;
	}

	@Bean
	@ConditionalOnMissingBean
	EventListenerLifecycle eventListenerLifecycle(ObserverTypes types, ActiveObserverLoader loader,
			ObserverRegistry registry, BrokerTopology topology, EventListenerProperties properties,
			ObjectProvider<EventQueueBinding> eventQueues, ObserverConsumers consumers,
			DirectMessageListenerContainer eventListenerContainer, EventDispatcher eventDispatcher) {
		return new EventListenerLifecycle(types, loader, registry, topology, properties.getExchanges().getEvents(),
				eventQueues.orderedStream().toList(), consumers, eventListenerContainer);
	}

}
