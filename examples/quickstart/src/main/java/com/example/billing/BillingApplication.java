package com.example.billing;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
public class BillingApplication {

    public static void main(String[] args) {
        SpringApplication.run(BillingApplication.class, args);
    }

    // one subscriber to start with; saved through JPA, so it is live at once
    @Bean
    ApplicationRunner firstSubscription(SubscriptionRepository subscriptions) {
        return (args) -> {
            if (subscriptions.count() == 0) {
                subscriptions.save(new Subscription("model.User.*.create"));
            }
        };
    }
}
