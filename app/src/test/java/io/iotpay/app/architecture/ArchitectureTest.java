package io.iotpay.app.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The rules of {@link ArchitectureRules} hold on the main code of every module. */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        // Test-fixture jars (a module's shared test helpers) are not production code either.
        .withImportOption(location -> !location.contains("-tests.jar"))
        .importPackages("io.iotpay");
  }

  static Stream<String> rules() {
    return ArchitectureRules.all().keySet().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void mainCode_keepsTheRule(String rule) {
    ArchitectureRules.all().get(rule).check(classes);
  }
}
