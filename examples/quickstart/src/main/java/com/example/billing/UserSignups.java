package com.example.billing;

import io.eventlistener.Event;
import io.eventlistener.EventPublisher;

import org.springframework.stereotype.Service;

@Service
public class UserSignups {

    private final EventPublisher publisher;

    UserSignups(EventPublisher publisher) {
        this.publisher = publisher;
    }

    // the broker's confirm is awaited; a refusal or a timeout throws EventPublishException
    public void signedUp(long userId) {
        publisher.publish(Event.builder().eventful("User", userId).action("create").build());
        // routing key: model.User.42.create
    }
}
