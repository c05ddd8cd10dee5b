package io.eventlistener.observer;

import java.beans.Introspector;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * The attributes of an entity class that carry one of our annotations, on a field or on a
 * getter: the JPA metamodel keeps no annotations, so the observer and watcher scans read
 * them from the class's members. The class's own members come first, then its
 * superclasses'; in each class the fields, then the methods.
 */
public final class AnnotatedAttributes {

	private AnnotatedAttributes() {
	}

	/**
	 * Find the attributes carrying an annotation.
	 * @param <A> the annotation type
	 * @param type the entity class
	 * @param annotationType the annotation
	 * @return each marked attribute with its annotation, in the order above
	 */
	public static <A extends Annotation> List<Marked<A>> of(Class<?> type, Class<A> annotationType) {
		List<Marked<A>> marked = new ArrayList<>();
		for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
			for (Field field : current.getDeclaredFields()) {
				add(marked, field, field.getName(), annotationType);
			}
			for (Method method : current.getDeclaredMethods()) {
				add(marked, method, propertyName(method.getName()), annotationType);
			}
		}
		return marked;
	}

	private static <A extends Annotation> void add(List<Marked<A>> marked, AnnotatedElement element, String name,
			Class<A> annotationType) {
		A annotation = element.getAnnotation(annotationType);
		if (annotation != null) {
			marked.add(new Marked<>(name, annotation));
		}
	}

	private static String propertyName(String getter) {
		String bare = getter.startsWith("is") ? getter.substring(2)
				: getter.startsWith("get") ? getter.substring(3) : getter;
		return Introspector.decapitalize(bare);
	}

	/**
	 * An attribute and its annotation.
	 *
	 * @param <A> the annotation type
	 * @param name the attribute's name (a getter's property name)
	 * @param annotation the annotation on it
	 */
	public record Marked<A extends Annotation>(String name, A annotation) {
	}

}
