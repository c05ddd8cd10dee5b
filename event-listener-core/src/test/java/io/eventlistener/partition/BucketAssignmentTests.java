package io.eventlistener.partition;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.eventlistener.observer.ObserverKey;
import io.eventlistener.partition.BucketAssignment.Rebalance;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The assignment function on its own: balance, stickiness, the move cap, convergence and
 * determinism, with no broker and no database.
 */
class BucketAssignmentTests {

	private static final int CAP = 64;

	@Test
	void firstRoundHandsEveryBucketOutEvenlyWhateverTheCap() {
		Rebalance first = BucketAssignment.empty().rebalance(List.of("b", "a", "c"), 1);

		assertThat(first.adopted()).isEqualTo(Buckets.COUNT);
		assertThat(first.moved()).isZero();
		assertThat(first.assignment().counts()).containsOnlyKeys("a", "b", "c");
		assertThat(first.assignment().counts().values()).allSatisfy((count) -> assertThat(count).isBetween(341, 342));
	}

	@Test
	void theSameMembershipGivesTheSameAssignmentInAnyOrder() {
		BucketAssignment one = converge(BucketAssignment.empty(), List.of("a", "b", "c"));
		BucketAssignment other = converge(BucketAssignment.empty(), List.of("c", "a", "b"));

		assertThat(one).isEqualTo(other);
		assertThat(one.rebalance(List.of("b", "c", "a"), CAP).assignment()).isEqualTo(one);
	}

	@Test
	void aBalancedAssignmentIsAFixedPoint() {
		BucketAssignment balanced = converge(BucketAssignment.empty(), List.of("a", "b", "c"));

		Rebalance again = balanced.rebalance(List.of("a", "b", "c"), CAP);

		assertThat(again.changed()).isFalse();
		assertThat(again.assignment()).isEqualTo(balanced);
	}

	@Test
	void aJoiningMemberTakesAtMostTheCapPerRoundAndOnlyFromOthers() {
		BucketAssignment three = converge(BucketAssignment.empty(), List.of("a", "b", "c"));
		List<String> four = List.of("a", "b", "c", "d");

		Rebalance round = three.rebalance(four, CAP);

		assertThat(round.moved()).isEqualTo(CAP);
		assertThat(round.adopted()).isZero();
		assertThat(changedBuckets(three, round.assignment())).isEqualTo(CAP);
		for (int bucket = 0; bucket < Buckets.COUNT; bucket++) {
			if (!three.owner(bucket).equals(round.assignment().owner(bucket))) {
				assertThat(round.assignment().owner(bucket)).isEqualTo("d");
			}
		}
	}

	@Test
	void aJoiningMemberConvergesToItsShareMovingOnlyWhatItNeeds() {
		BucketAssignment three = converge(BucketAssignment.empty(), List.of("a", "b", "c"));
		List<String> four = List.of("a", "b", "c", "d");

		BucketAssignment current = three;
		int rounds = 0;
		int moved = 0;
		Rebalance round = current.rebalance(four, CAP);
		while (round.changed()) {
			moved += round.moved();
			current = round.assignment();
			rounds++;
			round = current.rebalance(four, CAP);
		}

		// the joiner's share is all that moves, in ceil(256 / 64) rounds
		assertThat(moved).isEqualTo(Buckets.COUNT / 4);
		assertThat(rounds).isEqualTo(4);
		assertThat(changedBuckets(three, current)).isEqualTo(Buckets.COUNT / 4);
		assertThat(current.counts()).containsExactlyInAnyOrderEntriesOf(Map.of("a", 256, "b", 256, "c", 256, "d", 256));
	}

	@Test
	void aLeavingMembersBucketsAreHandedOutAtOnceAndNothingElseMoves() {
		BucketAssignment four = converge(BucketAssignment.empty(), List.of("a", "b", "c", "d"));
		BitSet left = four.bucketsOf("d");

		Rebalance round = four.rebalance(List.of("a", "b", "c"), 1);

		assertThat(round.adopted()).isEqualTo(256);
		assertThat(round.moved()).isZero();
		assertThat(changedBuckets(four, round.assignment())).isEqualTo(256);
		for (int bucket = 0; bucket < Buckets.COUNT; bucket++) {
			if (!left.get(bucket)) {
				assertThat(round.assignment().owner(bucket)).isEqualTo(four.owner(bucket));
			}
		}
		assertThat(round.assignment().counts().values()).allSatisfy((count) -> assertThat(count).isBetween(341, 342));
	}

	@Test
	void everyMembershipFromOneToTwentyConvergesToAShareWithinOneBucket() {
		BucketAssignment current = BucketAssignment.empty();
		List<String> members = new ArrayList<>();
		for (int n = 1; n <= 20; n++) {
			members.add("member-" + n);
			current = converge(current, members);
			int share = Buckets.COUNT / n;
			assertThat(current.counts()).hasSize(n);
			assertThat(current.counts().values()).allSatisfy((count) -> assertThat(count).isBetween(share, share + 1));
		}
	}

	@Test
	void observersSpreadWithinTenPercentOfTheFairShare() {
		BucketAssignment three = converge(BucketAssignment.empty(), List.of("a", "b", "c"));
		Map<String, Integer> observers = new HashMap<>();
		int total = 3000;
		for (int id = 1; id <= total; id++) {
			String type = (id % 2 == 0) ? "Subscription" : "Webhook";
			observers.merge(three.owner(Buckets.of(new ObserverKey(type, String.valueOf(id)))), 1, Integer::sum);
		}

		assertThat(observers.values()).allSatisfy((count) -> assertThat(count).isBetween(900, 1100));
	}

	@Test
	void noMembersLeaveNoOwners() {
		BucketAssignment three = converge(BucketAssignment.empty(), List.of("a", "b", "c"));

		assertThat(three.rebalance(Set.of(), CAP).assignment()).isEqualTo(BucketAssignment.empty());
	}

	@Test
	void aCapOfZeroOnlyHandsOutBucketsWithoutALiveOwner() {
		BucketAssignment two = converge(BucketAssignment.empty(), List.of("a", "b"));

		assertThat(two.rebalance(List.of("a", "b", "c"), 0).changed()).isFalse();
		assertThat(two.rebalance(List.of("a", "c"), 0).assignment().counts()).containsEntry("c", 512);
	}

	@Test
	void theCapMustNotBeNegative() {
		assertThatIllegalArgumentException().isThrownBy(() -> BucketAssignment.empty().rebalance(List.of("a"), -1))
			.withMessageContaining("maxMoves");
	}

	@Test
	void encodingRoundTrips() {
		BucketAssignment partial = converge(BucketAssignment.empty(), List.of("a", "b", "c"))
			.rebalance(List.of("a", "b", "c", "d"), CAP)
			.assignment();

		assertThat(BucketAssignment.decode(partial.encode())).isEqualTo(partial);
		assertThat(BucketAssignment.decode(BucketAssignment.empty().encode())).isEqualTo(BucketAssignment.empty());
	}

	@Test
	void aTruncatedEncodingIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> BucketAssignment.decode("a\n0,0"))
			.withMessageContaining("1024");
	}

	@Test
	void anObserversBucketIsFixed() {
		// CRC-32 is specified: these hold in every JVM and release (Python's
		// zlib.crc32(b"Subscription#1") % 1024 gives the same)
		assertThat(Buckets.of(new ObserverKey("Subscription", "1"))).isEqualTo(295);
		assertThat(Buckets.of(new ObserverKey("Webhook", "42"))).isEqualTo(823);
	}

	private static BucketAssignment converge(BucketAssignment start, List<String> members) {
		Rebalance round = start.rebalance(members, CAP);
		while (round.changed()) {
			round = round.assignment().rebalance(members, CAP);
		}
		return round.assignment();
	}

	private static int changedBuckets(BucketAssignment before, BucketAssignment after) {
		int changed = 0;
		for (int bucket = 0; bucket < Buckets.COUNT; bucket++) {
			if (!Objects.equals(before.owner(bucket), after.owner(bucket))) {
				changed++;
			}
		}
		return changed;
	}

}
