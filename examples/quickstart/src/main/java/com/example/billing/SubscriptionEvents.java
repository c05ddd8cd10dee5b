package com.example.billing;

import io.eventlistener.Event;
import io.eventlistener.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

@Component
class SubscriptionEvents implements EventHandler<Subscription> {

    private static final Logger logger = LoggerFactory.getLogger(SubscriptionEvents.class);

    @Override
    public void handle(Subscription subscription, Event event) {
        // acknowledged when this returns; an exception rejects the delivery
        logger.info("Subscription {} received {}", subscription.getId(), event.routingKey());
    }
}
