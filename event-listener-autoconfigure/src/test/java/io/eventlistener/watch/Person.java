package io.eventlistener.watch;

import io.eventlistener.Watched;
import io.eventlistener.WatchedModel;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

/**
 * A watched entity that is not an observer, after isimud's spec {@code User} with
 * {@code watch_attributes :key, :login_count}: only the marked attributes travel.
 */
@Entity
@Table(name = "person")
@WatchedModel
public class Person {

	public static final String DDL = "create table person (id bigserial primary key, name text not null, "
			+ "password_hash text, login_count integer not null default 0)";

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private @Nullable Long id;

	@Watched
	private String name = "";

	@Column(name = "password_hash")
	private @Nullable String passwordHash;

	@Watched(name = "logins")
	@Column(name = "login_count")
	private int loginCount;

	protected Person() {
	}

	public Person(String name, String passwordHash) {
		this.name = name;
		this.passwordHash = passwordHash;
	}

	public @Nullable Long getId() {
		return this.id;
	}

	public void setPasswordHash(String passwordHash) {
		this.passwordHash = passwordHash;
	}

	public void setLoginCount(int loginCount) {
		this.loginCount = loginCount;
	}

}
