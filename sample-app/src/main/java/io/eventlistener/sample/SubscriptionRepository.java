package io.eventlistener.sample;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * The subscriptions; saving or deleting one is published to the model watcher after
 * commit.
 */
public interface SubscriptionRepository extends JpaRepository<Subscription, Long> {

}
