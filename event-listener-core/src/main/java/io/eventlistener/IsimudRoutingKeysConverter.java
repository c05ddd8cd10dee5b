package io.eventlistener;

import java.util.List;

import jakarta.persistence.AttributeConverter;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * Stores an observer's routing keys in the text column isimud keeps them in,
 * {@code exchange_routing_keys}, exactly as ActiveRecord 6.1's
 * {@code serialize :exchange_routing_keys, Array} does, so a Rails application and this
 * starter can share one observer table:
 * {@code "---\n- model.Order.*.create\n- alert.#\n"} (Psych's YAML), and {@code NULL} for
 * no keys. {@code "--- []\n"} and {@code NULL} read as no keys. Text that is not a YAML
 * document (it does not start with {@code ---}, which ActiveRecord would hand to isimud
 * as a String) is read as the comma-separated form of {@link RoutingKeysConverter}, so
 * rows it wrote are converted when they are next saved.
 * <p>
 * Needs SnakeYAML ({@code org.yaml:snakeyaml}, which every Spring Boot starter brings).
 * Use it with {@code @Convert(converter = IsimudRoutingKeysConverter.class)} on a
 * {@code List<String>} attribute.
 *
 * @see ActiveRecordYaml
 */
public class IsimudRoutingKeysConverter implements AttributeConverter<List<String>, String> {

	private final RoutingKeysConverter commaSeparated = new RoutingKeysConverter();

	public IsimudRoutingKeysConverter() {
		if (!ClassUtils.isPresent("org.yaml.snakeyaml.Yaml", IsimudRoutingKeysConverter.class.getClassLoader())) {
			throw new IllegalStateException(IsimudRoutingKeysConverter.class.getSimpleName()
					+ " writes ActiveRecord's YAML with SnakeYAML: add org.yaml:snakeyaml to the application");
		}
	}

	@Override
	public @Nullable String convertToDatabaseColumn(@Nullable List<String> keys) {
		return ActiveRecordYaml.write(keys);
	}

	@Override
	public List<String> convertToEntityAttribute(@Nullable String column) {
		if (column != null && !column.startsWith("---")) {
			return this.commaSeparated.convertToEntityAttribute(column);
		}
		return ActiveRecordYaml.read(column);
	}

}
