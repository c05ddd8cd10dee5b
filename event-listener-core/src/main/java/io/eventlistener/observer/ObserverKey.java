package io.eventlistener.observer;

/**
 * Identifies one observer row: its canonical type name and its id as text.
 *
 * @param type the canonical observer type name
 * @param id the row's id
 */
public record ObserverKey(String type, String id) {

	@Override
	public String toString() {
		return this.type + "#" + this.id;
	}

}
