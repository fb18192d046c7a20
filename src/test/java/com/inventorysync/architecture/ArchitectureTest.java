package com.inventorysync.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.inventorysync.InventorySyncApplication;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The shape of the product, checked on its main classes (tests may use anything):
 * {@code cli} on top, then {@code job}, then the slices ({@code oms}, {@code ingest}, {@code reconcile}), then the
 * shared code ({@code http}, {@code jobdef}, {@code ops}, {@code config}); the sandbox serves {@code cli} alone, and
 * no package is part of a cycle. A higher layer may use any lower one (a command may read an ops table directly).
 */
@AnalyzeClasses(packagesOf = InventorySyncApplication.class, importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String ROOT = "com.inventorysync";

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles =
            slices().matching(ROOT + ".(*)..").namingSlices("$1").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule omsSlicesAreFreeOfCycles = slices().matching(ROOT + ".oms.(*)..")
            .namingSlices("oms.$1")
            .should()
            .beFreeOfCycles();

    /*
     * The application class is a layer of its own: it hands the command line to cli, and cli starts the Spring
     * context from it (SpringApplicationBuilder(InventorySyncApplication.class)), the one dependency cli has upward.
     */
    @ArchTest
    static final ArchRule layersDependOnlyDownwards = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("Application")
            .definedBy(applicationClass())
            .layer("Cli")
            .definedBy(ROOT + ".cli..")
            .layer("Job")
            .definedBy(ROOT + ".job..")
            .layer("Slices")
            .definedBy(ROOT + ".oms..", ROOT + ".ingest..", ROOT + ".reconcile..")
            .layer("Shared")
            .definedBy(ROOT + ".http..", ROOT + ".jobdef..", ROOT + ".ops..", ROOT + ".config..", ROOT + ".partition..")
            .layer("Sandbox")
            .definedBy(ROOT + ".sandbox..")
            .whereLayer("Application")
            .mayOnlyBeAccessedByLayers("Cli")
            .whereLayer("Cli")
            .mayOnlyBeAccessedByLayers("Application")
            .whereLayer("Job")
            .mayOnlyBeAccessedByLayers("Application", "Cli")
            .whereLayer("Slices")
            .mayOnlyBeAccessedByLayers("Application", "Cli", "Job")
            .whereLayer("Shared")
            .mayOnlyBeAccessedByLayers("Application", "Cli", "Job", "Slices", "Sandbox")
            .whereLayer("Sandbox")
            .mayOnlyBeAccessedByLayers("Cli");

    @ArchTest
    static final ArchRule sharedCodeDependsNeitherOnJobNorOnCli = noClasses()
            .that()
            .resideInAnyPackage(
                    ROOT + ".http..", ROOT + ".jobdef..", ROOT + ".ops..", ROOT + ".config..", ROOT + ".partition..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(ROOT + ".job..", ROOT + ".cli..");

    @ArchTest
    static final ArchRule sandboxIsUsedOnlyByCli = classes()
            .that()
            .resideInAPackage(ROOT + ".sandbox..")
            .should()
            .onlyHaveDependentClassesThat()
            .resideInAnyPackage(ROOT + ".sandbox..", ROOT + ".cli..");

    @ArchTest
    static final ArchRule nothingButTheApplicationDependsOnCli = noClasses()
            .that()
            .resideOutsideOfPackage(ROOT + ".cli..")
            .and()
            .doNotBelongToAnyOf(InventorySyncApplication.class)
            .should()
            .dependOnClassesThat()
            .resideInAPackage(ROOT + ".cli..");

    private static DescribedPredicate<JavaClass> applicationClass() {
        return DescribedPredicate.describe(
                "the application class", c -> c.isEquivalentTo(InventorySyncApplication.class));
    }
}
