package io.eventlistener.metrics;

import io.micrometer.common.KeyValues;

import org.springframework.amqp.rabbit.support.micrometer.RabbitMessageSenderContext;
import org.springframework.amqp.rabbit.support.micrometer.RabbitTemplateObservation.DefaultRabbitTemplateObservationConvention;
import org.springframework.amqp.rabbit.support.micrometer.RabbitTemplateObservation.TemplateLowCardinalityTags;

/**
 * Spring AMQP's template observation ({@code spring.rabbit.template}) for the starter's
 * own templates, with the routing key among the high-cardinality keys. Spring AMQP's
 * default convention makes it a low-cardinality key, which becomes a meter tag, and an
 * event's routing key names its object ({@code type.eventful_type.eventful_id.action}):
 * one timer per object. Here the meters are tagged by template and exchange only; traces
 * keep the routing key.
 */
public class RoutingKeyTemplateObservationConvention extends DefaultRabbitTemplateObservationConvention {

	@Override
	public KeyValues getLowCardinalityKeyValues(RabbitMessageSenderContext context) {
		return KeyValues.of(TemplateLowCardinalityTags.BEAN_NAME.asString(), context.getBeanName(),
				TemplateLowCardinalityTags.EXCHANGE.asString(), context.getExchange());
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(RabbitMessageSenderContext context) {
		return KeyValues.of(TemplateLowCardinalityTags.ROUTING_KEY.asString(), context.getRoutingKey());
	}

}
