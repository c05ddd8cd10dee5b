package io.eventlistener.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.eventlistener.EventBatchHandler;
import io.eventlistener.ObservedEvent;
import io.eventlistener.it.Company;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * An application with a batch handler for {@link Company} observers: it records the size
 * of every batch it is given and the {@code seq} of every event of a batch that returned,
 * and fails every batch that holds the event {@code batch-test.poison}.
 */
@SpringBootApplication
@EntityScan(basePackageClasses = Company.class)
public class BatchTestApplication {

	@Bean
	Batches batches() {
		return new Batches();
	}

	@Bean
	EventBatchHandler<Company> companyBatches(Batches batches, Environment environment) {
		int poison = environment.getProperty("batch-test.poison", Integer.class, -1);
		return (batch) -> {
			batches.sizes.add(batch.size());
			List<Integer> seqs = new ArrayList<>();
			for (ObservedEvent<Company> event : batch) {
				seqs.add(((Number) event.event().parameters().get("seq")).intValue());
			}
			if (seqs.contains(poison)) {
				throw new IllegalStateException("poison event " + poison);
			}
			batches.handled.addAll(seqs);
			seqs.forEach((seq) -> batches.distinct.add(seq));
		};
	}

	/**
	 * What the handler was given.
	 */
	static class Batches {

		final List<Integer> sizes = new CopyOnWriteArrayList<>();

		final List<Integer> handled = new CopyOnWriteArrayList<>();

		final Set<Integer> distinct = ConcurrentHashMap.newKeySet();

	}

}
