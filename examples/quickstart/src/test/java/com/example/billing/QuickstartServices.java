package com.example.billing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The services a Quick start test runs against, as README's steps use them: PostgreSQL,
 * RabbitMQ and its management API. Each test gets its own schema and queue prefix
 * ({@code id}), so runs never share rows or queues.
 */
final class QuickstartServices {

    private QuickstartServices() {
    }

    /** The Quick start's settings, isolated under {@code id}. */
    static List<String> arguments(String id) {
        return List.of("--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + id,
                "--spring.jpa.properties.hibernate.default_schema=" + id, "--spring.application.name=" + id,
                "--event-listener.exchanges.events=" + id + ".events",
                "--event-listener.exchanges.models=" + id + ".models");
    }

    static void createSchema(String id) throws SQLException {
        require("RabbitMQ", 5672);
        require("PostgreSQL", 5432);
        sql("create schema " + id);
    }

    /**
     * README's "see it work": isimud's bytes (no content type) published through the
     * management API, as README's curl does.
     */
    static void publishThroughManagementApi(String exchange, String routingKey, String payload)
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

    /** Drops what a run under {@code id} left on the broker and in the database. */
    static void cleanUp(String id) throws SQLException {
        CachingConnectionFactory connectionFactory = new CachingConnectionFactory("127.0.0.1", 5672);
        try {
            RabbitAdmin admin = new RabbitAdmin(connectionFactory);
            admin.deleteQueue(id + ".subscription.1");
            admin.deleteQueue(id + ".dead-letter");
            for (String exchange : new String[] { ".events", ".models", ".dead-letter" }) {
                admin.deleteExchange(id + exchange);
            }
        }
        finally {
            connectionFactory.destroy();
        }
        sql("drop schema if exists " + id + " cascade");
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
