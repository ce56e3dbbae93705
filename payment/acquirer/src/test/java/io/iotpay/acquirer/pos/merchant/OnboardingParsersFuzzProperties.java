package io.iotpay.acquirer.pos.merchant;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Random and mutated input to every onboarding parser: the sanctions file, the registration fields,
 * the ids and the terminal CA's CSR parser. Only the typed exception may escape.
 */
class OnboardingParsersFuzzProperties {
  private static final byte[] SEED_FILE = "# list\n110105194912310021;note\nA1234567\r\n".getBytes(StandardCharsets.UTF_8);

  @Property(tries = 2000)
  void sanctionsFile_randomBytes_parseOrTypedError(@ForAll @Size(max = 600) byte[] content, @ForAll AlgorithmSuite suite) {
    parseSanctions(content, suite);
  }

  @Property(tries = 2000)
  void sanctionsFile_mutatedSeed_parseOrTypedError(@ForAll("mutatedSanctions") byte[] content, @ForAll AlgorithmSuite suite) {
    parseSanctions(content, suite);
  }

  private static void parseSanctions(byte[] content, AlgorithmSuite suite) {
    try {
      SanctionsList list = SanctionsList.parse(content, SanctionsListTest.hash(suite));
      assertThat(list.size()).isBetween(0, SanctionsList.ENTRIES_MAX);
    } catch (SanctionsFileException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Provide
  Arbitrary<byte[]> mutatedSanctions() {
    return Arbitraries.integers().between(0, SEED_FILE.length - 1).list().ofMinSize(1).ofMaxSize(6)
        .flatMap(positions -> Arbitraries.bytes().array(byte[].class).ofSize(positions.size()).map(values -> {
          byte[] copy = SEED_FILE.clone();
          for (int i = 0; i < positions.size(); i++) {
            copy[positions.get(i)] = values[i];
          }
          return copy;
        }));
  }

  @Property(tries = 3000)
  void registration_randomFields_validOrInvalidField(
      @ForAll @Size(max = 120) String name, @ForAll @Size(max = 70) String licence, @ForAll @Size(max = 70) String owner,
      @ForAll @Size(max = 6) String mcc, @ForAll @Size(max = 12) String bank, @ForAll @Size(max = 70) String account) {
    try {
      Registration registration = new Registration(name, licence, owner, mcc, "1 Road", new SettlementAccount(bank, account));
      assertThat(registration.toString()).doesNotContain(registration.ownerIdNumber())
          .doesNotContain(registration.settlementAccount().accountNumber());
    } catch (OnboardingException expected) {
      assertThat(expected.reason()).isEqualTo(OnboardingException.Reason.INVALID_FIELD);
    }
  }

  @Property(tries = 2000)
  void ids_randomText_validOrInvalidField(@ForAll @Size(max = 30) String text) {
    for (Runnable parse : new Runnable[] {() -> new MerchantId(text), () -> new TerminalId(text)}) {
      try {
        parse.run();
      } catch (OnboardingException expected) {
        assertThat(expected.reason()).isEqualTo(OnboardingException.Reason.INVALID_FIELD);
      }
    }
  }

  @Property(tries = 500)
  void terminalCa_randomCsrBytes_csrInvalidOnly(@ForAll @Size(max = 600) byte[] csr, @ForAll AlgorithmSuite suite) {
    try {
      CAS.get(suite).verifyCsr(csr);
    } catch (OnboardingException expected) {
      assertThat(expected.reason()).isEqualTo(OnboardingException.Reason.CSR_INVALID);
    }
  }

  private static final java.util.Map<AlgorithmSuite, TerminalCa> CAS = new java.util.EnumMap<>(java.util.Map.of(
      AlgorithmSuite.INTERNATIONAL, ca(AlgorithmSuite.INTERNATIONAL), AlgorithmSuite.NATIONAL, ca(AlgorithmSuite.NATIONAL)));

  private static TerminalCa ca(AlgorithmSuite suite) {
    return TerminalCa.create(suite, "CN=Fuzz Terminal CA", java.time.Instant.now(), java.time.Duration.ofDays(1),
        java.time.Duration.ofHours(1), new java.security.SecureRandom());
  }
}
