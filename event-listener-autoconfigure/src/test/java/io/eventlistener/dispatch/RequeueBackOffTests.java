package io.eventlistener.dispatch;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.ImmediateRequeueAmqpException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RequeueBackOffTests {

	@Test
	void intervalsGrowByTheMultiplierUpToTheLongest() {
		RequeueBackOff backOff = new RequeueBackOff(6, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(5));
		assertThat(backOff.interval(1)).isEqualTo(Duration.ofSeconds(1));
		assertThat(backOff.interval(2)).isEqualTo(Duration.ofSeconds(2));
		assertThat(backOff.interval(3)).isEqualTo(Duration.ofSeconds(4));
		assertThat(backOff.interval(4)).isEqualTo(Duration.ofSeconds(5));
		assertThat(backOff.interval(60)).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void defaultsAreFiveRequeuesOverAtMostThirtyOneSeconds() {
		RequeueBackOff backOff = RequeueBackOff.defaults();
		assertThat(backOff.maxRequeues()).isEqualTo(5);
		Duration total = Duration.ZERO;
		for (int requeue = 1; requeue <= backOff.maxRequeues(); requeue++) {
			total = total.plus(backOff.interval(requeue));
		}
		assertThat(total).isEqualTo(Duration.ofSeconds(31));
	}

	@Test
	void stoppedBackOffReturnsTheDeliveryToItsQueue() {
		RequeueBackOff backOff = new RequeueBackOff(1, Duration.ofHours(1), 1.0, Duration.ofHours(1));
		backOff.stop();
		assertThatExceptionOfType(ImmediateRequeueAmqpException.class).isThrownBy(() -> backOff.await(1));
	}

	@Test
	void negativeBoundIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RequeueBackOff(-1, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(1)));
	}

}
