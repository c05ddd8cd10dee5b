package io.eventlistener.logging;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogSanitizerTests {

	@Test
	void controlCharactersAreEscaped() {
		assertThat(LogSanitizer.sanitize("a\r\nb\u0000c\u001B[31mred\tx\u007F\u009B\u0085\u2028\u2029"))
			.isEqualTo("a\\r\\nb\\u0000c\\u001B[31mred\\tx\\u007F\\u009B\\u0085\\u2028\\u2029");
	}

	@Test
	void plainTextIsUnchanged() {
		assertThat(LogSanitizer.sanitize("company.create.é")).isEqualTo("company.create.é");
		assertThat(LogSanitizer.sanitize(null)).isEqualTo("null");
	}

	@Test
	void userInfoIsRemovedFromAmqpAddresses() {
		assertThat(LogSanitizer.sanitize("amqps://billing:s3cret@rabbit-1:5671/vhost"))
			.isEqualTo("amqps://rabbit-1:5671/vhost");
		assertThat(LogSanitizer.sanitize("amqp://a:p1@h1:5672,amqp://b:p2@h2:5672"))
			.isEqualTo("amqp://h1:5672,amqp://h2:5672");
		assertThat(LogSanitizer.sanitize("billing:s3cret@h1:5672, h2:5672")).isEqualTo("h1:5672, h2:5672");
		assertThat(LogSanitizer.sanitize("Could not reach amqps://u:p@host:5671 (refused)"))
			.isEqualTo("Could not reach amqps://host:5671 (refused)");
	}

	@Test
	void userInfoIsRemovedFromManagementUrls() {
		assertThat(LogSanitizer.sanitize("http://admin:pw@rabbit:15672/api/bindings"))
			.isEqualTo("http://rabbit:15672/api/bindings");
	}

	@Test
	void passwordsAreRemovedFromJdbcUrls() {
		assertThat(LogSanitizer.sanitize("jdbc:postgresql://db:5432/test?user=app&password=s3cret&ssl=true"))
			.isEqualTo("jdbc:postgresql://db:5432/test?user=app&password=******&ssl=true");
		assertThat(LogSanitizer.sanitize("jdbc:mysql://app:s3cret@db:3306/test"))
			.isEqualTo("jdbc:mysql://db:3306/test");
		assertThat(LogSanitizer.sanitize("jdbc:sqlserver://db;user=app;password=s3cret;encrypt=true"))
			.isEqualTo("jdbc:sqlserver://db;user=app;password=******;encrypt=true");
		assertThat(LogSanitizer.sanitize("jdbc:oracle:thin:scott/tiger@db:1521:orcl"))
			.isEqualTo("jdbc:oracle:thin:db:1521:orcl");
	}

	@Test
	void anAddressWithoutCredentialsIsUnchanged() {
		assertThat(LogSanitizer.sanitize("jdbc:postgresql://127.0.0.1:5432/test"))
			.isEqualTo("jdbc:postgresql://127.0.0.1:5432/test");
		assertThat(LogSanitizer.sanitize("user@example.com wrote")).isEqualTo("user@example.com wrote");
	}

}
