package io.iotpay.acquirer.pos;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The onboarding domain has no transport or persistence imports; HTTP lives only in {@code acquirer.pos.http} and the console. */
class PosArchitectureTest {
  private static final JavaClasses POS = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.iotpay.acquirer.pos");

  @Test
  void domain_importsNoAdapterNorFramework() {
    noClasses().that().resideInAPackage("io.iotpay.acquirer.pos.merchant..")
        .should().dependOnClassesThat().resideInAnyPackage("io.iotpay.acquirer.pos.http..", "io.iotpay.acquirer.pos.store..",
            "io.javalin..", "org.eclipse.jetty..", "jakarta..", "com.fasterxml..", "java.sql..", "io.iotpay.foundation.store..")
        .check(POS);
  }

  @Test
  void onlyTheHttpAdapterAndTheConsole_useJavalinOrJetty() {
    noClasses().that().resideInAPackage("io.iotpay.acquirer.pos..").and().resideOutsideOfPackage("io.iotpay.acquirer.pos.http..")
        .and().resideOutsideOfPackage("io.iotpay.acquirer.pos.console..")
        .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..")
        .check(POS);
  }

  @Test
  void store_doesNotImportTheHttpAdapter() {
    noClasses().that().resideInAPackage("io.iotpay.acquirer.pos.store..")
        .should().dependOnClassesThat().resideInAPackage("io.iotpay.acquirer.pos.http..")
        .check(POS);
  }
}
