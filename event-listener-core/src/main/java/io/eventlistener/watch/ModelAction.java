package io.eventlistener.watch;

import java.util.Optional;

/**
 * What happened to a watched row, as the last part of the model-watcher routing key.
 */
public enum ModelAction {

	CREATE("create"), UPDATE("update"), DESTROY("destroy");

	private final String wireName;

	ModelAction(String wireName) {
		this.wireName = wireName;
	}

	/**
	 * The name on the wire, such as {@code create}.
	 * @return the name
	 */
	public String wireName() {
		return this.wireName;
	}

	/**
	 * The action with a wire name.
	 * @param wireName the name, from a message
	 * @return the action, or empty if there is none by that name
	 */
	public static Optional<ModelAction> fromWireName(String wireName) {
		for (ModelAction action : values()) {
			if (action.wireName.equals(wireName)) {
				return Optional.of(action);
			}
		}
		return Optional.empty();
	}

}
