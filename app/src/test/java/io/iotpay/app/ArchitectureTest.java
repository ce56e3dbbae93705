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
        // Test-fixture jars (a module's shared test helpers, e.g. the terminal's simulated card) are not
        // production code either.
        .withImportOption(location -> !location.contains("-tests.jar"))
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
  void protocol_dependsOnFoundationOnly() {
    noClasses().that().resideInAPackage("io.iotpay.protocol..")
        .should().dependOnClassesThat().resideInAnyPackage("io.iotpay.ledger..", "io.iotpay.issuer..", "io.iotpay.acquirer..",
            "io.iotpay.switching..", "io.iotpay.terminal..", "io.iotpay.agent..", "io.iotpay.platform..", "io.iotpay.app..")
        .check(classes);
  }

  @Test
  void parties_neverImportEachOther() {
    String[] parties = {"io.iotpay.issuer..", "io.iotpay.acquirer..", "io.iotpay.switching.."};
    for (String party : parties) {
      String[] others = java.util.Arrays.stream(parties).filter(p -> !p.equals(party)).toArray(String[]::new);
      noClasses().that().resideInAPackage(party)
          .should().dependOnClassesThat().resideInAnyPackage(others)
          .check(classes);
      noClasses().that().resideInAPackage(party)
          .should().dependOnClassesThat().resideInAnyPackage("io.iotpay.terminal..", "io.iotpay.agent..", "io.iotpay.platform..",
              "io.iotpay.app..", "io.iotpay.bench..", "io.iotpay.card..")
          .check(classes);
    }
  }

  @Test
  void platform_reachesTheIssuerOnlyOverProtocol() {
    // Authorisations travel as protocol messages through an IssuerLink the composition root wires.
    noClasses().that().resideInAPackage("io.iotpay.platform..")
        .should().dependOnClassesThat().resideInAnyPackage("io.iotpay.issuer..", "io.iotpay.acquirer..", "io.iotpay.switching..")
        .check(classes);
  }

  @Test
  void devices_useOnlyFoundationAndProtocol() {
    noClasses().that().resideInAnyPackage("io.iotpay.terminal..", "io.iotpay.agent..", "io.iotpay.phone..")
        .should().dependOnClassesThat().resideInAnyPackage("io.iotpay.ledger..", "io.iotpay.issuer..", "io.iotpay.acquirer..",
            "io.iotpay.switching..", "io.iotpay.platform..", "io.iotpay.app..", "io.iotpay.bench..", "io.iotpay.card..")
        .check(classes);
  }

  @Test
  void cardApplets_useOnlyTheJavaCardApi() {
    com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes().that().resideInAPackage("io.iotpay.card..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("io.iotpay.card..", "javacard..", "javacardx..", "java.lang..")
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
