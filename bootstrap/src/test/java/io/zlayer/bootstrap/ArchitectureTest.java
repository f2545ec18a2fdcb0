package io.zlayer.bootstrap;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The hexagon's dependency rules (see ../shared/ARCHITECTURE.md); a violation fails the build. */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(location -> !location.contains("-tests.jar"))
        .importPackages("io.zlayer");
  }

  @Test
  void importedEveryModule() {
    for (String pkg : new String[] {"io.zlayer.domain", "io.zlayer.application",
        "io.zlayer.adapters.cli", "io.zlayer.bootstrap"}) {
      if (classes.stream().noneMatch(c -> c.getPackageName().startsWith(pkg))) {
        throw new AssertionError("no classes imported from " + pkg
            + "; the architecture rules would pass vacuously");
      }
    }
  }

  @Test
  void domainDependsOnTheJdkOnly() {
    ArchRule rule = classes().that().resideInAPackage("io.zlayer.domain..")
        .should().onlyDependOnClassesThat()
        .resideInAnyPackage("io.zlayer.domain..", "java..");
    rule.check(classes);
  }

  @Test
  void applicationDependsOnDomainOnly() {
    ArchRule rule = classes().that().resideInAPackage("io.zlayer.application..")
        .should().onlyDependOnClassesThat()
        .resideInAnyPackage("io.zlayer.application..", "io.zlayer.domain..", "java..");
    rule.check(classes);
  }

  @Test
  void adaptersDoNotDependOnEachOther() {
    slices().matching("io.zlayer.adapters.(*)..").should().notDependOnEachOther()
        .check(classes);
  }

  @Test
  void nothingButBootstrapDependsOnAdaptersOrBootstrap() {
    noClasses().that().resideInAnyPackage("io.zlayer.domain..", "io.zlayer.application..")
        .should().dependOnClassesThat().resideInAnyPackage("io.zlayer.adapters..",
            "io.zlayer.bootstrap..")
        .check(classes);
    noClasses().that().resideInAPackage("io.zlayer.adapters..")
        .should().dependOnClassesThat().resideInAPackage("io.zlayer.bootstrap..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void onlyBootstrapKnowsDagger() {
    noClasses().that().resideOutsideOfPackage("io.zlayer.bootstrap..")
        .should().dependOnClassesThat().resideInAPackage("dagger..")
        .allowEmptyShould(true)
        .check(classes);
  }
}
