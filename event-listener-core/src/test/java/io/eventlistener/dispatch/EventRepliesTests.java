package io.eventlistener.dispatch;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.eventlistener.EventReplyException;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitOperations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;

class EventRepliesTests {

	private final RabbitOperations template = mock(RabbitOperations.class);

	private final EventReplies replies = new EventReplies(this.template, JsonMapper.builder().build(), "billing");

	@Test
	void repliesGoToTheDirectReplyTo() {
		this.replies.reply(request("amq.rabbitmq.reply-to.g1h2AA5yZXBseUAxMjM0NQAAAAAAAAAB.abc", "c1"), "ok");
		this.replies.reply(request("amq.rabbitmq.reply-to", "c2"), "ok");

		then(this.template).should()
			.send(eq(""), eq("amq.rabbitmq.reply-to.g1h2AA5yZXBseUAxMjM0NQAAAAAAAAAB.abc"), any(Message.class));
		then(this.template).should().send(eq(""), eq("amq.rabbitmq.reply-to"), any(Message.class));
		assertThat(this.replies.sentReplies()).isEqualTo(2);
	}

	@Test
	void aReplyToAnyOtherQueueIsRefusedAndCounted() {
		this.replies.reply(request("payments.inbox", "c1"), "ok");
		this.replies.replyError(request("amq.rabbitmq.reply-tox", "c2"), new IllegalStateException("boom"));

		then(this.template).should(never()).send(anyString(), anyString(), any(Message.class));
		assertThat(this.replies.refusedReplies()).isEqualTo(2);
	}

	@Test
	void theAllowListAdmitsNamesAndPatterns() {
		this.replies.setAllowedQueues(List.of("gateway.replies", "rpc.*"));

		this.replies.reply(request("gateway.replies", "c1"), "ok");
		this.replies.reply(request("rpc.client-7", "c2"), "ok");
		this.replies.reply(request("gateway.replies.other", "c3"), "ok");

		then(this.template).should().send(eq(""), eq("gateway.replies"), any(Message.class));
		then(this.template).should().send(eq(""), eq("rpc.client-7"), any(Message.class));
		assertThat(this.replies.refusedReplies()).isEqualTo(1);
	}

	@Test
	void anErrorReplyCarriesTypeAndCodeButNoMessageByDefault() {
		this.replies.replyError(request("amq.rabbitmq.reply-to", "c1"), new IllegalStateException("select * from x"));

		Message sent = sent();
		assertThat(new String(sent.getBody(), StandardCharsets.UTF_8))
			.isEqualTo("{\"error\":\"IllegalStateException\",\"code\":\"handler-failed\"}");
		assertThat(sent.getMessageProperties().<String>getHeader(EventReplyException.HEADER))
			.isEqualTo("IllegalStateException");
	}

	@Test
	void theMessageIsIncludedWhenSwitchedOn() {
		this.replies.setIncludeExceptionMessage(true);

		this.replies.replyError(request("amq.rabbitmq.reply-to", "c1"), new IllegalStateException("no such invoice"));

		assertThat(new String(sent().getBody(), StandardCharsets.UTF_8)).isEqualTo(
				"{\"error\":\"IllegalStateException\",\"code\":\"handler-failed\",\"message\":\"no such invoice\"}");
	}

	@Test
	void aSaneCorrelationIdIsCopiedAnOverlongOneNot() {
		this.replies.reply(request("amq.rabbitmq.reply-to", "c".repeat(EventReplies.MAX_CORRELATION_ID_LENGTH)), "ok");
		assertThat(sent().getMessageProperties().getCorrelationId()).hasSize(EventReplies.MAX_CORRELATION_ID_LENGTH);

		this.replies.reply(request("amq.rabbitmq.reply-to", "c".repeat(EventReplies.MAX_CORRELATION_ID_LENGTH + 1)),
				"ok");
		ArgumentCaptor<Message> sent = ArgumentCaptor.forClass(Message.class);
		then(this.template).should(org.mockito.Mockito.times(2)).send(eq(""), anyString(), sent.capture());
		assertThat(sent.getAllValues().get(1).getMessageProperties().getCorrelationId()).isNull();
	}

	private Message sent() {
		ArgumentCaptor<Message> sent = ArgumentCaptor.forClass(Message.class);
		then(this.template).should().send(eq(""), anyString(), sent.capture());
		return sent.getValue();
	}

	private static MessageProperties request(String replyTo, String correlationId) {
		MessageProperties properties = new MessageProperties();
		properties.setReplyTo(replyTo);
		properties.setCorrelationId(correlationId);
		properties.setConsumerQueue("billing.company.1");
		return properties;
	}

}
