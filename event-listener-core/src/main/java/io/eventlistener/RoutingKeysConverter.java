package io.eventlistener;

import java.util.Arrays;
import java.util.List;

import jakarta.persistence.AttributeConverter;
import org.jspecify.annotations.Nullable;

/**
 * Stores an observer's routing keys in one text column, comma-separated (routing-key
 * patterns never contain commas). Use it with
 * {@code @Convert(converter = RoutingKeysConverter.class)} on a {@code List<String>}
 * attribute; any other mapping, such as an {@code @ElementCollection}, works as well.
 */
public class RoutingKeysConverter implements AttributeConverter<List<String>, String> {

	@Override
	public @Nullable String convertToDatabaseColumn(@Nullable List<String> keys) {
		return (keys != null) ? String.join(",", keys) : null;
	}

	@Override
	public List<String> convertToEntityAttribute(@Nullable String column) {
		if (column == null || column.isBlank()) {
			return List.of();
		}
		return Arrays.stream(column.split(",")).map(String::trim).filter((key) -> !key.isEmpty()).toList();
	}

}
