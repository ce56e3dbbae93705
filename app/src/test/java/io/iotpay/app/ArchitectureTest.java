package io.iotpay.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module rules of ARCHITECTURE.md as tests: arrows point down the module table only. */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.iotpay");
  }

  @Test
  void foundation_dependsOnNoOtherIotpayModule() {
    noClasses().that().resideInAPackage("io.iotpay.foundation..")
        .should().dependOnClassesThat().resideInAnyPackage("io.iotpay.ledger..", "io.iotpay.app..", "io.iotpay.bench..")
        .check(classes);
  }

  @Test
  void ledger_dependsOnFoundationOnly() {
    noClasses().that().resideInAPackage("io.iotpay.ledger..")
        .should().dependOnClassesThat().resideInAnyPackage("io.iotpay.app..", "io.iotpay.bench..")
        .check(classes);
  }

  @Test
  void benchmarks_doNotReachIntoTheApplication() {
    noClasses().that().resideInAPackage("io.iotpay.bench..")
        .should().dependOnClassesThat().resideInAPackage("io.iotpay.app..")
        .allowEmptyShould(true) // the rule holds vacuously until a benchmark exists
        .check(classes);
  }

  @Test
  void internalPackages_areNotUsedFromOtherModules() {
    noClasses().that().resideOutsideOfPackage("io.iotpay.foundation..")
        .should().dependOnClassesThat().resideInAPackage("io.iotpay.foundation..internal..")
        .allowEmptyShould(true)
        .check(classes);
    noClasses().that().resideOutsideOfPackage("io.iotpay.ledger..")
        .should().dependOnClassesThat().resideInAPackage("io.iotpay.ledger..internal..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void domainCode_doesNotUseTheAssertKeywordOrSystemExit() {
    noClasses().that().resideOutsideOfPackage("io.iotpay.app..")
        .should().callMethod(System.class, "exit", int.class)
        .check(classes);
  }
}
