package io.iotpay.ledger.witness;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.ledger.audit.Checkpoint;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The witness's file readers fed random and mutated text: they parse it or refuse it with {@link
 * WitnessInputException}; nothing else escapes. Both suites' records are the seeds.
 */
class WitnessFilesProperties {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final List<String> VALID_RECORDS = List.of(validRecord(AlgorithmSuite.INTERNATIONAL), validRecord(AlgorithmSuite.NATIONAL));

  /** Two cosignature lines of a real key pair (not valid cosignatures of a witness: the parser checks shape only). */
  private static String validRecord(AlgorithmSuite suite) {
    KeyPair key = suite.signature().generateKeyPair(RANDOM);
    String keyId = Checkpoint.keyIdOf(suite, key.getPublic().getEncoded());
    StringBuilder text = new StringBuilder();
    for (int number = 1; number <= 2; number++) {
      byte[] root = suite.digest().digest(new byte[] {(byte) number});
      byte[] signed = Checkpoint.signedBytes(number, 10L * number, root, 1_795_824_000_000L, suite, keyId);
      Checkpoint checkpoint = new Checkpoint(number, 10L * number, root, 1_795_824_000_000L, suite, keyId,
          suite.signature().sign(key.getPrivate(), signed));
      Cosignature cosignature = new Cosignature(checkpoint, keyId, 1_795_824_000_500L, suite.signature().sign(key.getPrivate(),
          Cosignature.signedBytes(checkpoint, keyId, 1_795_824_000_500L)));
      text.append(WitnessFiles.toLine(cosignature)).append('\n');
    }
    return text.toString();
  }

  @Property(tries = 500)
  void randomText_parsesOrIsRefusedWithTheTypedException(@ForAll("anyText") String text) {
    assertParsesOrRefuses(text);
  }

  @Property(tries = 1000)
  void mutatedRecord_parsesOrIsRefusedWithTheTypedException(@ForAll("mutatedRecords") String text) {
    assertParsesOrRefuses(text);
  }

  @Property(tries = 500)
  void randomConfig_parsesOrIsRefusedWithTheTypedException(@ForAll("anyText") String text) {
    try {
      WitnessFiles.parseConfig(text, "fuzz");
    } catch (WitnessInputException expected) {
      assertThat(expected.getMessage()).startsWith("fuzz");
    }
  }

  @Property(tries = 20)
  void validRecord_parsesBackToItsLines() {
    for (String record : VALID_RECORDS) {
      List<Cosignature> parsed = WitnessFiles.parseRecord(record, "fuzz");
      assertThat(parsed).hasSize(2);
      assertThat(WitnessFiles.toLine(parsed.get(0)) + "\n" + WitnessFiles.toLine(parsed.get(1)) + "\n").isEqualTo(record);
    }
  }

  private static void assertParsesOrRefuses(String text) {
    try {
      WitnessFiles.parseRecord(text, "fuzz");
    } catch (WitnessInputException expected) {
      assertThat(expected.getMessage()).contains("fuzz");
    }
  }

  @Provide
  Arbitrary<String> anyText() {
    Arbitrary<String> ascii = Arbitraries.strings().ascii().ofMaxLength(600);
    Arbitrary<String> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(600)
        .map(b -> new String(b, StandardCharsets.ISO_8859_1));
    Arbitrary<String> jsonish = Arbitraries.strings().withChars("{}[]\":,0123456789-.eE abcdfhkmnoprstuyIS\n\\")
        .ofMaxLength(600);
    Arbitrary<String> longLine = Arbitraries.integers().between(4090, 4200).map("x"::repeat);
    return Arbitraries.oneOf(ascii, bytes, jsonish, longLine);
  }

  @Provide
  Arbitrary<String> mutatedRecords() {
    Arbitrary<String> record = Arbitraries.of(VALID_RECORDS);
    Arbitrary<Integer> position = Arbitraries.integers().between(0, 10_000);
    Arbitrary<Character> replacement = Arbitraries.chars().ascii();
    Arbitrary<Integer> operation = Arbitraries.integers().between(0, 2);
    return net.jqwik.api.Combinators.combine(record, position, replacement, operation).as((text, at, c, op) -> {
      int i = at % text.length();
      return switch (op) {
        case 0 -> text.substring(0, i) + c + text.substring(i + 1); // replace one character
        case 1 -> text.substring(0, i) + text.substring(Math.min(text.length(), i + 1 + at % 7)); // delete a few
        default -> text.substring(0, i); // truncate (a torn append)
      };
    });
  }
}
