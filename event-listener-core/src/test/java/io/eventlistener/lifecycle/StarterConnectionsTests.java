package io.eventlistener.lifecycle;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

class StarterConnectionsTests {

	@Test
	void applicationPublishingIsTheSeparatePublisherFactoryWhereThereIsOne() {
		ConnectionFactory application = mock(ConnectionFactory.class);
		ConnectionFactory publisher = mock(ConnectionFactory.class);
		given(application.getPublisherConnectionFactory()).willReturn(publisher);
		assertThat(StarterConnections.applicationPublishing(application)).isSameAs(publisher);
	}

	@Test
	void applicationPublishingIsTheApplicationsFactoryOtherwise() {
		ConnectionFactory application = mock(ConnectionFactory.class);
		assertThat(StarterConnections.applicationPublishing(application)).isSameAs(application);
	}

}
