package io.eventlistener.sample;

import io.eventlistener.EventPublishException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A publish the broker refused, did not confirm in time, or refused because it is
 * blocking publishers (a memory or disk alarm) is the broker's unavailability, not a bug:
 * {@code 503 Service Unavailable} with the reason, and a {@code Retry-After}. A caller
 * that retries after a timeout may publish the event twice; observers see events at least
 * once anyway.
 */
@RestControllerAdvice
class PublishFailureAdvice {

	@ExceptionHandler(EventPublishException.class)
	ResponseEntity<ProblemDetail> publishFailed(EventPublishException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
		problem.setTitle("Event not published");
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5").body(problem);
	}

}
