package io.eventlistener.publish;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.eventlistener.Event;
import io.eventlistener.EventPublishException;
import io.eventlistener.EventPublisher;
import io.eventlistener.wire.EventCodec;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Publishes events as persistent JSON messages with a {@code message_id}, and waits for
 * the broker's publisher confirm: a nack, a timeout or a send failure is an
 * {@link EventPublishException} the caller sees (isimud switched confirms on and never
 * waited).
 */
public class ConfirmingEventPublisher implements EventPublisher {

	private final RabbitTemplate template;

	private final EventCodec codec;

	private final String exchange;

	private final Duration confirmTimeout;

	/**
	 * @param template a template whose connection factory has correlated publisher
	 * confirms
	 * @param codec writes the JSON body
	 * @param exchange the events exchange
	 * @param confirmTimeout how long to wait for the broker's confirm
	 */
	public ConfirmingEventPublisher(RabbitTemplate template, EventCodec codec, String exchange,
			Duration confirmTimeout) {
		if (!template.getConnectionFactory().isPublisherConfirms()) {
			throw new IllegalStateException("Publishing events needs correlated publisher confirms: "
					+ "set spring.rabbitmq.publisher-confirm-type=correlated");
		}
		this.template = template;
		this.codec = codec;
		this.exchange = exchange;
		this.confirmTimeout = confirmTimeout;
	}

	@Override
	public void publish(Event event) {
		MessageProperties properties = new MessageProperties();
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		properties.setContentEncoding("UTF-8");
		properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
		properties.setMessageId(UUID.randomUUID().toString());
		Message message = new Message(this.codec.write(event), properties);
		String routingKey = event.routingKey();
		CorrelationData correlation = new CorrelationData(properties.getMessageId());
		try {
			this.template.send(this.exchange, routingKey, message, correlation);
			CorrelationData.Confirm confirm = correlation.getFuture()
				.get(this.confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
			if (!confirm.ack()) {
				throw new EventPublishException("Broker refused event " + routingKey + " on exchange " + this.exchange
						+ ": " + confirm.reason());
			}
		}
		catch (TimeoutException ex) {
			throw new EventPublishException(
					"No publisher confirm for event " + routingKey + " within " + this.confirmTimeout, ex);
		}
		catch (ExecutionException | AmqpException ex) {
			throw new EventPublishException("Could not publish event " + routingKey + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new EventPublishException("Interrupted while waiting for the confirm of event " + routingKey, ex);
		}
	}

}
