package io.eventlistener.dispatch;

import io.eventlistener.CurrentDelivery;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;

/**
 * Makes the broker's redelivered flag of the delivery being handled visible to handlers
 * through {@link CurrentDelivery#isRedelivered()}: the outermost advice of the observer
 * containers, around the retries.
 */
public final class RedeliveryAdvice implements MethodInterceptor {

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Object[] arguments = invocation.getArguments();
		boolean redelivered = arguments.length > 1 && arguments[1] instanceof Message message
				&& Boolean.TRUE.equals(message.getMessageProperties().isRedelivered());
		return CurrentDelivery.with(redelivered, invocation::proceed);
	}

}
