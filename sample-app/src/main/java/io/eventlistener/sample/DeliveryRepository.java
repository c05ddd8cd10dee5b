package io.eventlistener.sample;

import java.time.Instant;
import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/**
 * The deliveries recorded by {@link SubscriptionEvents}.
 */
public interface DeliveryRepository extends JpaRepository<Delivery, Long> {

	List<Delivery> findBySubscriptionIdOrderById(long subscriptionId);

	/**
	 * How many deliveries each subscription has, in all and since a time.
	 * @param since the start of the recent window
	 * @return one count per subscription that has any delivery
	 */
	@Query("select d.subscriptionId as subscriptionId, count(d) as total, "
			+ "sum(case when d.handledAt >= :since then 1 else 0 end) as recent "
			+ "from Delivery d group by d.subscriptionId")
	List<DeliveryCount> countBySubscription(Instant since);

	/**
	 * A subscription's deliveries.
	 */
	interface DeliveryCount {

		long getSubscriptionId();

		long getTotal();

		long getRecent();

	}

}
