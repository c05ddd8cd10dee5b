package io.eventlistener.watch;

import io.eventlistener.it.Company;
import io.eventlistener.it.CompanyRepository;
import io.eventlistener.it.RecordingHandler;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Bean;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/**
 * The application the model-watcher integration tests start: the {@link Company}
 * observers with their recording handler, the watched {@link Person}, and a
 * {@link ModelWatcherCounts}.
 */
@SpringBootApplication
@EntityScan(basePackageClasses = { Company.class, Person.class })
@EnableJpaRepositories(basePackageClasses = { CompanyRepository.class, PersonRepository.class })
public class WatcherTestApplication {

	@Bean
	RecordingHandler companyEvents() {
		return new RecordingHandler();
	}

	@Bean
	ModelWatcherCounts modelWatcherCounts() {
		return new ModelWatcherCounts();
	}

}
