package io.eventlistener.isimud;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import io.eventlistener.testsupport.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter writes isimud's observer table as ActiveRecord does, and announces its
 * changes as isimud does: the model-watcher message for a row changed here equals
 * isimud's for the same row ({@code wire/isimud-model-*-companies.json}, with the row's
 * id and times), keyed by column, {@code timestamp} = {@code updated_at}.
 */
class IsimudTableIntegrationTests {

	private static final DateTimeFormatter RAILS_JSON_TIME = DateTimeFormatter
		.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

	private final TestNamespace namespace = TestNamespace.create(RailsCompany.DDL);

	private final ModelsSpy models = new ModelsSpy(this.namespace);

	@AfterEach
	void stop() {
		this.models.close();
		this.namespace.close();
	}

	@Test
	void rowsWrittenHereAreWhatActiveRecordWritesAndTheirMessagesAreIsimuds() throws IOException {
		ConfigurableApplicationContext application = this.namespace.start(IsimudTableApplication.class);
		RailsCompanyRepository companies = application.getBean(RailsCompanyRepository.class);
		TransactionTemplate transactions = new TransactionTemplate(
				application.getBean(PlatformTransactionManager.class));

		long id = transactions
			.execute((status) -> companies.save(new RailsCompany("Acme", List.of("order.#", "*.User.create"))))
			.getId();

		assertThat(this.namespace.queryForString("select exchange_routing_keys from companies where id = " + id))
			.isEqualTo("---\n- order.#\n- \"*.User.create\"\n");
		assertIsimudMessage(this.models.next(), "isimud-model-create-companies.json", id);

		transactions.executeWithoutResult((status) -> {
			RailsCompany company = companies.findById(id).orElseThrow();
			company.setRoutingKeys(List.of());
			company.disable();
		});

		// ActiveRecord writes nothing for an empty Array (its default value)
		assertThat(this.namespace.queryForString("select exchange_routing_keys from companies where id = " + id))
			.isNull();
		assertIsimudMessage(this.models.next(), "isimud-model-update-companies.json", id);
	}

	/**
	 * The message equals isimud's fixture once the fixture carries this row's id and
	 * times; its {@code timestamp} is the row's {@code updated_at} as stored.
	 */
	private void assertIsimudMessage(JsonNode message, String fixture, long id) throws IOException {
		assertThat(List.copyOf(message.propertyNames())).containsExactly("schema", "type", "action", "id", "timestamp",
				"attributes");
		String updatedAt = RAILS_JSON_TIME.format(this.namespace
			.queryForString(
					"select to_char(updated_at, 'YYYY-MM-DD\"T\"HH24:MI:SS.US') from companies where id = " + id)
			.transform(LocalDateTime::parse));
		assertThat(message.get("timestamp").asString()).isEqualTo(updatedAt);
		assertThat(message.get("attributes").get("updated_at").asString()).isEqualTo(updatedAt);

		ObjectNode expected = (ObjectNode) fixture(fixture);
		expected.put("id", id);
		expected.put("timestamp", updatedAt);
		ObjectNode attributes = (ObjectNode) expected.get("attributes");
		attributes.put("created_at", message.get("attributes").get("created_at").asString());
		attributes.put("updated_at", updatedAt);
		// byte for byte: the same keys in the same order, the same values
		assertThat(message.toString()).isEqualTo(expected.toString());
	}

	private static JsonNode fixture(String name) throws IOException {
		try (InputStream in = IsimudTableIntegrationTests.class.getResourceAsStream("/wire/" + name)) {
			return JsonMapper.builder().build().readTree(in);
		}
	}

}
