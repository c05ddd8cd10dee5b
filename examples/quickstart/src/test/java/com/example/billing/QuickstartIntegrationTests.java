package com.example.billing;

import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

import io.eventlistener.registry.ObserverRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Quick start application as README shows it, run against the local RabbitMQ
 * (127.0.0.1:5672) and PostgreSQL (127.0.0.1:5432, database {@code test}) in a schema,
 * queue prefix and exchanges of its own: its first subscription row is inserted, an event
 * is published (by the application, then as README shows, with isimud's bytes through the
 * management API), and the handler logs each. A missing service fails the test and says how to
 * start it.
 */
@ExtendWith(OutputCaptureExtension.class)
class QuickstartIntegrationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String id = "quickstart" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);

    private ConfigurableApplicationContext application;

    @Test
    void subscriptionRowEventAndHandler(CapturedOutput output) throws Exception {
        QuickstartServices.createSchema(this.id);
        this.application = SpringApplication.run(BillingApplication.class,
                QuickstartServices.arguments(this.id).toArray(String[]::new));

        SubscriptionRepository subscriptions = this.application.getBean(SubscriptionRepository.class);
        assertThat(subscriptions.count()).as("the first subscription row").isEqualTo(1);
        long subscription = subscriptions.findAll().get(0).getId();
        ObserverRegistry registry = this.application.getBean(ObserverRegistry.class);
        await().atMost(TIMEOUT).until(() -> !registry.registrations().isEmpty());

        this.application.getBean(UserSignups.class).signedUp(42);
        await().atMost(TIMEOUT)
            .untilAsserted(() -> assertThat(output.getOut())
                .contains("Subscription " + subscription + " received model.User.42.create"));

        QuickstartServices.publishThroughManagementApi(this.id + ".events", "model.User.43.create",
                "{\"type\":\"model\",\"action\":\"create\",\"eventful_type\":\"User\",\"eventful_id\":43}");
        await().atMost(TIMEOUT)
            .untilAsserted(() -> assertThat(output.getOut())
                .contains("Subscription " + subscription + " received model.User.43.create"));
    }

    @AfterEach
    void cleanUp() throws SQLException {
        if (this.application != null) {
            this.application.close();
        }
        QuickstartServices.cleanUp(this.id);
    }

}
