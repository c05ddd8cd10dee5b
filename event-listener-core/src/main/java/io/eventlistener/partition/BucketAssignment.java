package io.eventlistener.partition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

/**
 * Which member owns each of the {@value Buckets#COUNT} buckets: an immutable value, and
 * the pure function every instance applies to the same membership to get the next one.
 * <p>
 * {@link #rebalance} is sticky (Kafka's cooperative sticky assignor): a bucket whose
 * owner is still a member and holds no more than its fair share never moves. Buckets of
 * members that left are handed out at once, whatever the cap (nobody consumes them);
 * buckets taken from a member over its share to fill one under it are capped per round
 * (Akka's least-shard allocation), so a joining instance takes its share over a few
 * rounds rather than making every queue change hands at once. Ties are broken by member
 * id and bucket number only, so the result depends on nothing but the inputs.
 */
public final class BucketAssignment {

	private static final String NONE = "-";

	private final @Nullable String[] owners;

	private BucketAssignment(@Nullable String[] owners) {
		this.owners = owners;
	}

	/**
	 * The assignment before the first round: no bucket has an owner.
	 * @return the empty assignment
	 */
	public static BucketAssignment empty() {
		return new BucketAssignment(new String[Buckets.COUNT]);
	}

	/**
	 * The owner of a bucket.
	 * @param bucket the bucket
	 * @return its owner, or {@code null} when it has none
	 */
	public @Nullable String owner(int bucket) {
		return this.owners[bucket];
	}

	/**
	 * The buckets a member owns.
	 * @param member the member's id
	 * @return its buckets
	 */
	public BitSet bucketsOf(String member) {
		BitSet buckets = new BitSet(Buckets.COUNT);
		for (int bucket = 0; bucket < Buckets.COUNT; bucket++) {
			if (member.equals(this.owners[bucket])) {
				buckets.set(bucket);
			}
		}
		return buckets;
	}

	/**
	 * How many buckets each owner holds.
	 * @return the count by member id, sorted by id
	 */
	public Map<String, Integer> counts() {
		Map<String, Integer> counts = new TreeMap<>();
		for (String owner : this.owners) {
			if (owner != null) {
				counts.merge(owner, 1, Integer::sum);
			}
		}
		return counts;
	}

	/**
	 * The next assignment for a membership.
	 * @param members the live members' ids (order does not matter)
	 * @param maxMoves at most this many buckets change from one live member to another;
	 * buckets without a live owner are always handed out ({@code 0} hands out only those)
	 * @return the next assignment and what moved
	 */
	public Rebalance rebalance(Collection<String> members, int maxMoves) {
		if (maxMoves < 0) {
			throw new IllegalArgumentException("maxMoves must not be negative, was " + maxMoves);
		}
		TreeSet<String> live = new TreeSet<>(members);
		@Nullable String[] next = this.owners.clone();
		if (live.isEmpty()) {
			Arrays.fill(next, null);
			return new Rebalance(new BucketAssignment(next), 0, 0);
		}
		Map<String, Integer> held = new HashMap<>();
		live.forEach((member) -> held.put(member, 0));
		BitSet free = new BitSet(Buckets.COUNT);
		for (int bucket = 0; bucket < Buckets.COUNT; bucket++) {
			String owner = next[bucket];
			if (owner != null && live.contains(owner)) {
				held.merge(owner, 1, Integer::sum);
			}
			else {
				next[bucket] = null;
				free.set(bucket);
			}
		}
		int adopted = free.cardinality();
		Map<String, Integer> quota = quotas(live, held);
		int moved = release(next, held, quota, maxMoves, free);
		hand(next, held, quota, free);
		return new Rebalance(new BucketAssignment(next), adopted, moved);
	}

	/**
	 * Each member's fair share: {@code COUNT / n}, one more for the {@code COUNT % n}
	 * members holding most now (ties by id), so a balanced assignment is a fixed point.
	 */
	private static Map<String, Integer> quotas(TreeSet<String> live, Map<String, Integer> held) {
		int base = Buckets.COUNT / live.size();
		int extra = Buckets.COUNT % live.size();
		List<String> byHolding = new ArrayList<>(live);
		byHolding.sort(Comparator.comparing((String member) -> held.get(member)).reversed());
		Map<String, Integer> quota = new HashMap<>();
		for (int i = 0; i < byHolding.size(); i++) {
			quota.put(byHolding.get(i), base + ((i < extra) ? 1 : 0));
		}
		return quota;
	}

	/**
	 * Free up to {@code maxMoves} buckets of members over their share, the most
	 * over-loaded first, each giving up its highest-numbered buckets.
	 */
	private static int release(@Nullable String[] next, Map<String, Integer> held, Map<String, Integer> quota,
			int maxMoves, BitSet free) {
		List<String> over = new ArrayList<>(held.keySet());
		over.removeIf((member) -> held.get(member) <= quota.get(member));
		over.sort(Comparator.comparing((String member) -> held.get(member) - quota.get(member))
			.reversed()
			.thenComparing(Comparator.naturalOrder()));
		int moved = 0;
		for (String member : over) {
			for (int bucket = Buckets.COUNT - 1; bucket >= 0 && moved < maxMoves
					&& held.get(member) > quota.get(member); bucket--) {
				if (member.equals(next[bucket])) {
					next[bucket] = null;
					free.set(bucket);
					held.merge(member, -1, Integer::sum);
					moved++;
				}
			}
		}
		return moved;
	}

	/**
	 * Give each free bucket, lowest first, to the member furthest under its share (ties
	 * by id). There is always one: the shares add up to {@code COUNT}.
	 */
	private static void hand(@Nullable String[] next, Map<String, Integer> held, Map<String, Integer> quota,
			BitSet free) {
		Comparator<String> neediest = Comparator.comparing((String member) -> quota.get(member) - held.get(member))
			.reversed()
			.thenComparing(Comparator.naturalOrder());
		TreeSet<String> members = new TreeSet<>(held.keySet());
		for (int bucket = free.nextSetBit(0); bucket >= 0; bucket = free.nextSetBit(bucket + 1)) {
			String member = members.stream().min(neediest).orElseThrow();
			next[bucket] = member;
			held.merge(member, 1, Integer::sum);
		}
	}

	/**
	 * The assignment as text, for the assignment table: the owners' ids, one a line, then
	 * a line of each bucket's owner as an index into them ({@code -} for none).
	 * @return the text
	 */
	public String encode() {
		List<String> ids = new ArrayList<>(new TreeSet<>(counts().keySet()));
		Map<String, Integer> index = new HashMap<>();
		StringBuilder text = new StringBuilder();
		for (String id : ids) {
			index.put(id, index.size());
			text.append(id).append('\n');
		}
		for (int bucket = 0; bucket < Buckets.COUNT; bucket++) {
			String owner = this.owners[bucket];
			text.append((bucket > 0) ? "," : "").append((owner != null) ? String.valueOf(index.get(owner)) : NONE);
		}
		return text.toString();
	}

	/**
	 * Read an assignment {@link #encode} wrote.
	 * @param text the text
	 * @return the assignment
	 * @throws IllegalArgumentException if the text is not one
	 */
	public static BucketAssignment decode(String text) {
		String[] lines = text.split("\n", -1);
		String[] owners = lines[lines.length - 1].split(",", -1);
		if (owners.length != Buckets.COUNT) {
			throw new IllegalArgumentException(
					"An assignment has " + Buckets.COUNT + " buckets, this one " + owners.length);
		}
		@Nullable String[] decoded = new String[Buckets.COUNT];
		for (int bucket = 0; bucket < Buckets.COUNT; bucket++) {
			decoded[bucket] = NONE.equals(owners[bucket]) ? null : lines[Integer.parseInt(owners[bucket])];
		}
		return new BucketAssignment(decoded);
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (other instanceof BucketAssignment assignment) && Arrays.equals(this.owners, assignment.owners);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(this.owners);
	}

	@Override
	public String toString() {
		return "BucketAssignment" + counts();
	}

	/**
	 * One round's result.
	 *
	 * @param assignment the next assignment
	 * @param adopted buckets that had no live owner and now have one
	 * @param moved buckets taken from one live member and given to another (at most the
	 * cap)
	 */
	public record Rebalance(BucketAssignment assignment, int adopted, int moved) {

		/**
		 * Whether anything changed.
		 * @return {@code true} if a bucket got another owner
		 */
		public boolean changed() {
			return this.adopted + this.moved > 0;
		}

	}

}
