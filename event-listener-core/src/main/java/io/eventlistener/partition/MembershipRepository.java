package io.eventlistener.partition;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The membership and assignment tables, through {@link JdbcTemplate}, in plain SQL that
 * PostgreSQL, MariaDB and H2 all run (the starter's {@code schema-*.sql} create them).
 * Times are epoch milliseconds in {@code bigint} columns: no time zone to disagree on
 * between instances, and no MariaDB {@code timestamp} that updates itself. A group is the
 * set of instances that share observer queues (their queue prefix); several applications
 * may use one database.
 */
public class MembershipRepository {

	/** The members' table. */
	public static final String MEMBERS = "event_listener_member";

	/** The assignment's table: one row per group. */
	public static final String ASSIGNMENT = "event_listener_assignment";

	private final JdbcTemplate jdbc;

	public MembershipRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Record that a member is alive, adding it if it is not (yet, or any more) a member.
	 * @param group the group
	 * @param member the member's id
	 * @param now the time of the heartbeat
	 * @return {@code true} if the member was added
	 */
	public boolean heartbeat(String group, String member, Instant now) {
		if (this.jdbc.update("update " + MEMBERS + " set heartbeat_at = ? where group_name = ? and member_id = ?",
				now.toEpochMilli(), group, member) > 0) {
			return false;
		}
		try {
			this.jdbc.update(
					"insert into " + MEMBERS + " (group_name, member_id, joined_at, heartbeat_at) values (?, ?, ?, ?)",
					group, member, now.toEpochMilli(), now.toEpochMilli());
			return true;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	/**
	 * Remove a member at once (a graceful stop).
	 * @param group the group
	 * @param member the member's id
	 */
	public void leave(String group, String member) {
		this.jdbc.update("delete from " + MEMBERS + " where group_name = ? and member_id = ?", group, member);
	}

	/**
	 * Remove the members that have not heartbeated since a time.
	 * @param group the group
	 * @param before the oldest heartbeat that still counts
	 * @return how many were removed
	 */
	public int expire(String group, Instant before) {
		return this.jdbc.update("delete from " + MEMBERS + " where group_name = ? and heartbeat_at < ?", group,
				before.toEpochMilli());
	}

	/**
	 * The members of a group.
	 * @param group the group
	 * @return the members, by id
	 */
	public List<Member> members(String group) {
		return this.jdbc.query(
				"select member_id, joined_at, heartbeat_at from " + MEMBERS
						+ " where group_name = ? order by member_id",
				(row, index) -> new Member(row.getString(1), Instant.ofEpochMilli(row.getLong(2)),
						Instant.ofEpochMilli(row.getLong(3))),
				group);
	}

	/**
	 * The group's current assignment.
	 * @param group the group
	 * @return the assignment, or empty before the first rebalance
	 */
	public Optional<StoredAssignment> assignment(String group) {
		return this.jdbc
			.query("select generation, owners, rebalanced_at from " + ASSIGNMENT + " where group_name = ?",
					(row, index) -> new StoredAssignment(row.getLong(1), BucketAssignment.decode(row.getString(2)),
							Instant.ofEpochMilli(row.getLong(3))),
					group)
			.stream()
			.findFirst();
	}

	/**
	 * Store the next assignment unless another member stored one first (compare-and-set
	 * on the generation).
	 * @param group the group
	 * @param previous the generation it was computed from ({@code 0} when there was none)
	 * @param assignment the next assignment
	 * @param now the time of the rebalance
	 * @return the stored assignment, or empty if the generation was no longer
	 * {@code previous}
	 */
	public Optional<StoredAssignment> replace(String group, long previous, BucketAssignment assignment, Instant now) {
		long generation = previous + 1;
		if (previous == 0) {
			try {
				this.jdbc.update(
						"insert into " + ASSIGNMENT
								+ " (group_name, generation, owners, rebalanced_at) values (?, ?, ?, ?)",
						group, generation, assignment.encode(), now.toEpochMilli());
			}
			catch (DuplicateKeyException ex) {
				return Optional.empty();
			}
		}
		else if (this.jdbc.update(
				"update " + ASSIGNMENT
						+ " set generation = ?, owners = ?, rebalanced_at = ? where group_name = ? and generation = ?",
				generation, assignment.encode(), now.toEpochMilli(), group, previous) == 0) {
			return Optional.empty();
		}
		return Optional.of(new StoredAssignment(generation, assignment, now));
	}

	/**
	 * A member as its row says.
	 *
	 * @param id the member's id
	 * @param joined when it (last) joined
	 * @param heartbeat its last heartbeat
	 */
	public record Member(String id, Instant joined, Instant heartbeat) {
	}

	/**
	 * An assignment as stored.
	 *
	 * @param generation counts the rebalances that changed it, from {@code 1}
	 * @param assignment the owners
	 * @param rebalanced when it was stored
	 */
	public record StoredAssignment(long generation, BucketAssignment assignment, Instant rebalanced) {
	}

}
