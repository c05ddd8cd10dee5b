package io.eventlistener.sample;

import io.eventlistener.BrokerBlockedException;
import io.eventlistener.EventPublishException;
import io.eventlistener.EventPublisher;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code POST /events} answers 503 with the reason, not 500, when the broker refuses,
 * blocks or does not confirm the publish.
 */
class PublishFailureAdviceTests {

	@Test
	void brokerBlockingPublishersIsServiceUnavailableWithTheReason() throws Exception {
		mvc((event) -> {
			throw new BrokerBlockedException("The broker is blocking publishers (low on memory)");
		}).perform(post("/events").contentType(MediaType.APPLICATION_JSON)
			.content("{\"eventfulType\": \"Invoice\", \"eventfulId\": \"7\", \"action\": \"create\"}"))
			.andExpect(status().isServiceUnavailable())
			.andExpect(header().string("Retry-After", "5"))
			.andExpect(jsonPath("$.detail").value("The broker is blocking publishers (low on memory)"));
	}

	@Test
	void noConfirmInTimeIsServiceUnavailable() throws Exception {
		mvc((event) -> {
			throw new EventPublishException("No publisher confirm within PT5S");
		}).perform(post("/events").contentType(MediaType.APPLICATION_JSON)
			.content("{\"eventfulType\": \"Invoice\", \"eventfulId\": \"7\", \"action\": \"create\"}"))
			.andExpect(status().isServiceUnavailable())
			.andExpect(jsonPath("$.detail").value("No publisher confirm within PT5S"));
	}

	private static MockMvc mvc(EventPublisher publisher) {
		return MockMvcBuilders.standaloneSetup(new EventController(publisher))
			.setControllerAdvice(new PublishFailureAdvice())
			.build();
	}

}
