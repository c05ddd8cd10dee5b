package io.eventlistener.publish;

import java.time.Duration;

import io.eventlistener.Event;
import io.eventlistener.EventPublishException;
import io.eventlistener.EventPublisher;
import io.eventlistener.wire.EventCodec;

import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Publishes events as persistent JSON messages with a {@code message_id}, and waits for
 * the broker's publisher confirm: a nack, a timeout or a send failure is an
 * {@link EventPublishException} the caller sees (isimud switched confirms on and never
 * waited).
 */
public class ConfirmingEventPublisher implements EventPublisher {

	private final ConfirmingSender sender;

	private final EventCodec codec;

	private final String exchange;

	/**
	 * @param template a template whose connection factory has correlated publisher
	 * confirms
	 * @param codec writes the JSON body
	 * @param exchange the events exchange
	 * @param confirmTimeout how long to wait for the broker's confirm
	 */
	public ConfirmingEventPublisher(RabbitTemplate template, EventCodec codec, String exchange,
			Duration confirmTimeout) {
		this.sender = new ConfirmingSender(template, confirmTimeout);
		this.codec = codec;
		this.exchange = exchange;
	}

	@Override
	public void publish(Event event) {
		this.sender.send(this.exchange, event.routingKey(), this.codec.write(event));
	}

}
