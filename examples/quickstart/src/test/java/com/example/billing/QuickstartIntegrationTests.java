package com.example.billing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import io.eventlistener.registry.ObserverRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
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
        require("RabbitMQ", 5672);
        require("PostgreSQL", 5432);
        sql("create schema " + this.id);
        this.application = SpringApplication.run(BillingApplication.class,
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + this.id,
                "--spring.jpa.properties.hibernate.default_schema=" + this.id,
                "--spring.application.name=" + this.id, "--event-listener.exchanges.events=" + this.id + ".events",
                "--event-listener.exchanges.models=" + this.id + ".models");

        SubscriptionRepository subscriptions = this.application.getBean(SubscriptionRepository.class);
        assertThat(subscriptions.count()).as("the first subscription row").isEqualTo(1);
        long subscription = subscriptions.findAll().get(0).getId();
        ObserverRegistry registry = this.application.getBean(ObserverRegistry.class);
        await().atMost(TIMEOUT).until(() -> !registry.registrations().isEmpty());

        this.application.getBean(UserSignups.class).signedUp(42);
        await().atMost(TIMEOUT)
            .untilAsserted(() -> assertThat(output.getOut())
                .contains("Subscription " + subscription + " received model.User.42.create"));

        // README's "see it work": isimud's bytes (no content type) through the management API
        publishThroughManagementApi(this.id + ".events", "model.User.43.create",
                "{\"type\":\"model\",\"action\":\"create\",\"eventful_type\":\"User\",\"eventful_id\":43}");
        await().atMost(TIMEOUT)
            .untilAsserted(() -> assertThat(output.getOut())
                .contains("Subscription " + subscription + " received model.User.43.create"));
    }

    private static void publishThroughManagementApi(String exchange, String routingKey, String payload)
            throws IOException, InterruptedException {
        require("RabbitMQ management", 15672);
        String body = "{\"properties\":{},\"routing_key\":\"" + routingKey
                + "\",\"payload_encoding\":\"string\",\"payload\":\"" + payload.replace("\"", "\\\"") + "\"}";
        HttpRequest request = HttpRequest
            .newBuilder(URI.create("http://127.0.0.1:15672/api/exchanges/%2F/" + exchange + "/publish"))
            .header("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString("guest:guest".getBytes(StandardCharsets.UTF_8)))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
        HttpResponse<String> response = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).as("the management API routed the event").contains("\"routed\":true");
    }

    @AfterEach
    void cleanUp() throws SQLException {
        if (this.application != null) {
            this.application.close();
        }
        CachingConnectionFactory connectionFactory = new CachingConnectionFactory("127.0.0.1", 5672);
        try {
            RabbitAdmin admin = new RabbitAdmin(connectionFactory);
            admin.deleteQueue(this.id + ".subscription.1");
            admin.deleteQueue(this.id + ".dead-letter");
            for (String exchange : new String[] { ".events", ".models", ".dead-letter" }) {
                admin.deleteExchange(this.id + exchange);
            }
        }
        finally {
            connectionFactory.destroy();
        }
        sql("drop schema if exists " + this.id + " cascade");
    }

    private static void sql(String statement) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres",
                ""); Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

    private static void require(String service, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        }
        catch (IOException ex) {
            throw new IllegalStateException(service + " is not reachable at 127.0.0.1:" + port
                    + ". Start it, or run 'bash .ci/run', which starts every service the tests need.", ex);
        }
    }
}
