package io.eventlistener.sample;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * The deliveries recorded by {@link SubscriptionEvents}.
 */
public interface DeliveryRepository extends JpaRepository<Delivery, Long> {

	List<Delivery> findBySubscriptionIdOrderById(long subscriptionId);

}
