package io.eventlistener.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live page in a real browser (headless Chromium through Selenium WebDriver) against
 * the sample on RabbitMQ and PostgreSQL: events a raw client publishes with isimud's
 * exact bytes appear in its stream, a subscription created through the API appears among
 * its observers, consumed, and each observer's figures, the dead letters and the error
 * budget follow the events as they flow, fail and are replayed. No browser is a failure
 * that says how to install one. The page, as the last of those tests left it with a dead
 * letter waiting, is saved to {@code target/live-page.png} (README's picture,
 * {@code docs/live-page.png}, is a copy).
 */
class LivePageBrowserIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));

	private static final Path SCREENSHOT = Path.of("target", "live-page.png");

	private static final Path CHROMEDRIVER = Path.of(System.getProperty("chromium.driver", "/usr/bin/chromedriver"));

	private static SampleNamespace services;

	private static WebDriver browser;

	@BeforeAll
	static void start() {
		requireBrowser();
		services = SampleNamespace.start(SampleApplication.class);
		ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
			.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
					"--window-size=1400,720");
		ChromeDriverService driver = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		browser = new ChromeDriver(driver, options);
	}

	@AfterAll
	static void stop() {
		if (browser != null) {
			browser.quit();
		}
		if (services != null) {
			services.close();
		}
	}

	@Test
	void eventsPublishedByAnotherProcessAppearLiveForTheKeysAskedFor() {
		browser.get(baseUrl() + "/?key=model.Invoice.%23");
		await().atMost(TIMEOUT).until(() -> status().equals("listening on model.Invoice.#"));
		publish("model.User.42.create", isimud("User", 42, "create"));
		publish("model.Invoice.78.create", isimud("Invoice", 78, "create"));
		publish("model.Invoice.78.paid", isimud("Invoice", 78, "paid"));
		// newest first; the User event was never the page's
		await().atMost(TIMEOUT)
			.until(LivePageBrowserIntegrationTests::shownRoutingKeys,
					(keys) -> keys.equals(List.of("model.Invoice.78.paid", "model.Invoice.78.create")));
		assertThat(browser.findElement(By.cssSelector("#events li")).getText()).contains("2016-03-01T12:34:56.789Z")
			.contains("user 7");
	}

	@Test
	void aSubscriptionCreatedThroughTheApiIsListedWithItsKeysAndConsumed() {
		browser.get(baseUrl() + "/");
		long id = new SampleApi(services.port()).createSubscription("browser-invoices", "model.Invoice.*.paid");
		await().atMost(TIMEOUT).until(() -> observerCell(id, "consumer").equals("consuming"));
		assertThat(observerCell(id, "name")).isEqualTo("browser-invoices");
		assertThat(observerCell(id, "key")).isEqualTo("model.Invoice.*.paid");
		assertThat(browser.findElement(By.id("listener-state")).getText()).isEqualTo("RUNNING");
	}

	@Test
	void eachObserversFiguresTheDeadLettersAndTheErrorBudgetFollowTheEvents() throws IOException {
		SampleApi api = new SampleApi(services.port());
		long id = api.createSubscription("browser-ledgers", "model.Ledger.#");
		browser.get(baseUrl() + "/?key=model.Ledger.%23");
		await().atMost(TIMEOUT)
			.until(() -> observerCell(id, "consumer").equals("consuming") && observerCell(id, "consumers").equals("1")
					&& status().equals("listening on model.Ledger.#"));
		assertThat(observerCell(id, "messages")).isEqualTo("0");
		assertThat(observerCell(id, "handled")).isEqualTo("0");
		assertThat(observerCell(id, "rate")).isEqualTo("0.0");
		assertThat(observerCell(id, "failures")).isEqualTo("0");
		long deadLetters = Long.parseLong(text("#dead-letters"));
		long errors = errorsSpent();

		for (int ledger = 1; ledger <= 5; ledger++) {
			publish("model.Ledger." + ledger + ".create", isimud("Ledger", ledger, "create"));
		}
		await().atMost(TIMEOUT)
			.until(() -> observerCell(id, "handled").equals("5") && Double.parseDouble(observerCell(id, "rate")) > 0);

		// its webhook down: tried 3 times (retry.max-attempts), then dead-lettered
		api.webhook(id, false);
		publish("model.Ledger.6.create", isimud("Ledger", 6, "create"));
		await().atMost(TIMEOUT)
			.until(() -> Long.parseLong(text("#dead-letters")) == deadLetters + 1
					&& observerCell(id, "failures").equals("3") && errorsSpent() == errors + 3);
		assertThat(observerCell(id, "handled")).isEqualTo("5");
		Files.createDirectories(SCREENSHOT.getParent());
		Files.write(SCREENSHOT, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

		// up again, the operator presses replay: the event is handled, the dead letter
		// gone
		api.webhook(id, true);
		browser.findElement(By.id("replay")).click();
		await().atMost(TIMEOUT)
			.until(() -> Long.parseLong(text("#dead-letters")) == deadLetters
					&& observerCell(id, "handled").equals("6"));
		assertThat(text("#replay-result")).startsWith("moved 1,");
	}

	private static String status() {
		return browser.findElement(By.id("status")).getText();
	}

	private static List<String> shownRoutingKeys() {
		return browser.findElements(By.cssSelector("#events li"))
			.stream()
			.map((item) -> item.getDomAttribute("data-routing-key"))
			.toList();
	}

	private static String observerCell(long id, String column) {
		return text("#observers tr[data-id='" + id + "'] td." + column);
	}

	/** The errors spent of the error budget, as the page shows them: "3 of 100". */
	private static long errorsSpent() {
		return Long.parseLong(text("#error-budget").split(" ")[0]);
	}

	private static String text(String selector) {
		// in one script: the page redraws every second (an element found, then read, can
		// go stale)
		Object text = ((JavascriptExecutor) browser).executeScript(
				"const element = document.querySelector(arguments[0]); return element ? element.textContent : '';",
				selector);
		return String.valueOf(text);
	}

	private static String baseUrl() {
		return "http://127.0.0.1:" + services.port();
	}

	private static void requireBrowser() {
		if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
			throw new IllegalStateException("The live page's browser test needs headless Chromium and its driver at "
					+ CHROMIUM + " and " + CHROMEDRIVER + ". Install them with 'apt-get install -y chromium "
					+ "chromium-driver' (bash .ci/run does), or point -Dchromium.binary and -Dchromium.driver at them.");
		}
	}

	/** Publish as isimud does: persistent, no content type, no message id, confirmed. */
	private static void publish(String routingKey, byte[] body) {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost("127.0.0.1");
		factory.setPort(5672);
		try (Connection connection = factory.newConnection("live-page-test");
				Channel channel = connection.createChannel()) {
			channel.confirmSelect();
			channel.basicPublish(
					services.application().getEnvironment().getRequiredProperty("event-listener.exchanges.events"),
					routingKey, new AMQP.BasicProperties.Builder().deliveryMode(2).build(), body);
			channel.waitForConfirmsOrDie(30_000);
		}
		catch (IOException | TimeoutException ex) {
			throw new IllegalStateException("Raw publish failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** An event body byte for byte as isimud 1.4 writes it. */
	private static byte[] isimud(String type, int id, String action) {
		return ("{\"type\":\"model\",\"action\":\"" + action + "\",\"user_id\":7,"
				+ "\"occurred_at\":\"2016-03-01T12:34:56.789Z\",\"eventful_type\":\"" + type + "\",\"eventful_id\":"
				+ id + ",\"session_id\":null,\"parameters\":{},\"attributes\":null}")
			.getBytes(StandardCharsets.UTF_8);
	}

}
