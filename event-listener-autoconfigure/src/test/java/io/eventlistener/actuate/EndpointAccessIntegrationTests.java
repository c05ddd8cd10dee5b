package io.eventlistener.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.eventlistener.it.Company;
import io.eventlistener.it.ObserverTestApplication;
import io.eventlistener.testsupport.LocalServices;
import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's actuator endpoints over HTTP: exposing them all
 * ({@code management.endpoints.web.exposure.include=*}) shows what they read, but their
 * write operations (resync, dead-letter replay, stray-binding removal) answer 4xx until
 * {@code management.endpoint.<id>.access} is set on purpose.
 */
class EndpointAccessIntegrationTests {

	private final TestNamespace namespace = TestNamespace.create(Company.DDL);

	private final HttpClient http = HttpClient.newHttpClient();

	private ConfigurableApplicationContext application;

	@AfterEach
	void stop() {
		this.namespace.close();
	}

	@Test
	void exposingEverythingAllowsNoWrites() throws Exception {
		start();

		assertThat(send("GET", "eventlistener")).isEqualTo(200);
		assertThat(send("POST", "eventlistener")).isBetween(400, 499);
		assertThat(send("POST", "eventlistenerdeadletters")).isBetween(400, 499);
		assertThat(send("DELETE", "eventlistenerbindings")).isBetween(400, 499);
	}

	@Test
	void theAccessSettingAllowsThem() throws Exception {
		start("management.endpoint.eventlistener.access=unrestricted",
				"management.endpoint.eventlistenerdeadletters.access=unrestricted",
				"management.endpoint.eventlistenerbindings.access=unrestricted");

		assertThat(send("POST", "eventlistener")).isEqualTo(200);
		assertThat(send("POST", "eventlistenerdeadletters")).isEqualTo(200);
		assertThat(send("DELETE", "eventlistenerbindings")).isEqualTo(200);
	}

	private void start(String... access) {
		String[] settings = { "spring.main.web-application-type=servlet", "server.port=0",
				"management.endpoints.web.exposure.include=*", "event-listener.management.url=http://"
						+ LocalServices.RABBIT_HOST + ":" + LocalServices.RABBIT_MANAGEMENT_PORT };
		String[] all = new String[settings.length + access.length];
		System.arraycopy(settings, 0, all, 0, settings.length);
		System.arraycopy(access, 0, all, settings.length, access.length);
		this.application = this.namespace.start(ObserverTestApplication.class, all);
	}

	private int send(String method, String endpoint) throws Exception {
		String port = this.application.getEnvironment().getProperty("local.server.port");
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/" + endpoint))
			.header("Content-Type", "application/json")
			.method(method,
					method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}")
							: HttpRequest.BodyPublishers.noBody())
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
	}

}
