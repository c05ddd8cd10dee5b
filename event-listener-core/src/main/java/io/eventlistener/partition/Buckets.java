package io.eventlistener.partition;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import io.eventlistener.observer.ObserverKey;

/**
 * Places an observer in one of {@value #COUNT} buckets, the unit the instances share out.
 * The hash is CRC-32 of {@code type + "#" + id} (UTF-8): specified, the same in every JVM
 * and release and easy to compute elsewhere, so instances of different versions agree. A
 * fixed count keeps an observer's bucket the same however many instances run; 1,024 is
 * enough for a fair share within a few percent up to dozens of instances.
 */
public final class Buckets {

	/** How many buckets there are. */
	public static final int COUNT = 1024;

	private Buckets() {
	}

	/**
	 * The bucket of an observer.
	 * @param key the observer's canonical type and id
	 * @return its bucket, {@code 0} to {@code COUNT - 1}
	 */
	public static int of(ObserverKey key) {
		CRC32 crc = new CRC32();
		crc.update((key.type() + "#" + key.id()).getBytes(StandardCharsets.UTF_8));
		return (int) (crc.getValue() % COUNT);
	}

}
