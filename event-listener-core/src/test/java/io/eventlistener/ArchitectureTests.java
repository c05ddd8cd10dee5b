package io.eventlistener;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import org.junit.jupiter.api.Test;

/**
 * The layering that docs/architecture.md states, checked on the compiled core: the
 * library never reaches up into its wiring (auto-configuration, actuator endpoints) or
 * into Spring Boot, its packages form no cycle, and the API package
 * ({@code io.eventlistener}) names no internal type, so that a user's code compiles
 * against the API alone.
 */
class ArchitectureTests {

	private static final JavaClasses CORE = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.eventlistener");

	@Test
	void coreDoesNotDependOnItsWiring() {
		ArchRuleDefinition.noClasses()
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.eventlistener.autoconfigure..", "io.eventlistener.actuate..")
			.because("core is the library; auto-configuration and endpoints wire it from above")
			.check(CORE);
	}

	@Test
	void coreDoesNotDependOnSpringBoot() {
		ArchRuleDefinition.noClasses()
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.boot..")
			.because("core works without Spring Boot: only event-listener-autoconfigure knows it")
			.check(CORE);
	}

	@Test
	void packagesFormNoCycle() {
		SlicesRuleDefinition.slices().matching("io.eventlistener.(*)..").should().beFreeOfCycles().check(CORE);
	}

	@Test
	void apiNamesNoInternalType() {
		ArchRuleDefinition.noClasses()
			.that()
			.resideInAPackage("io.eventlistener")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.eventlistener.(*)..")
			.because("the API package is what users code against; internals may change in any release")
			.check(CORE);
	}

}
