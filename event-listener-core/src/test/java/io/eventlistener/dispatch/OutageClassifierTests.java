package io.eventlistener.dispatch;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;

class OutageClassifierTests {

	@Test
	void theDefaultsAndTheApplicationsClassifiersBothCount() {
		OutageClassifier classifier = OutageClassifier
			.defaultsAnd(List.of((failure) -> failure instanceof IllegalStateException));

		assertThat(classifier.isOutage(new RuntimeException(new DataAccessResourceFailureException("down")))).isTrue();
		assertThat(classifier.isOutage(new IllegalStateException("cache down"))).isTrue();
		assertThat(classifier.isOutage(new IllegalArgumentException("bad input"))).isFalse();
	}

}
