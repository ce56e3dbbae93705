package io.iotpay.issuer.transit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.custody.KeyRef;
import io.iotpay.foundation.custody.KeyUsage;
import io.iotpay.foundation.custody.SoftwareKeyCustody;
import io.iotpay.issuer.IssuerInputException;
import io.iotpay.issuer.card.CardCrypto;
import io.iotpay.issuer.card.IssuerKeys;
import io.iotpay.protocol.Pan;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The custody-backed verifier against {@link CardCrypto#tac} on the card key derived in the clear
 * here from the same IMK (the formula the applet tests pin down in IssuerEndToEndTest): same TAC for
 * random PANs, ATCs and inputs, cached card key or not; a flipped bit fails.
 */
class TacVerifierTest {
  @TempDir Path dir;

  private static SecretKeyBytes key(Random random) {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return new SecretKeyBytes(bytes);
  }

  private SoftwareKeyCustody custody(Random random) {
    byte[] master = new byte[32];
    random.nextBytes(master);
    return SoftwareKeyCustody.open(dir.resolve("custody"), AlgorithmSuite.INTERNATIONAL, new SecretKeyBytes(master),
        IssuerKeys.CARD_KEYS_CACHED_MAX, CardCrypto::tac);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void verify_acceptsTheCardsTac_andRejectsAFlippedBit(AlgorithmSuite suite) {
    Random random = new Random(42 + suite.ordinal());
    SecretKeyBytes imkAc = key(random);
    try (SoftwareKeyCustody custody = custody(random)) {
      KeyRef ref = custody.importClear(IssuerKeys.imkAcLabel(suite), suite, KeyUsage.ISSUER_MASTER, imkAc);
      TacVerifier verifier = new TacVerifier(custody, Map.of(suite, List.of(ref)));
      for (int i = 0; i < 200; i++) {
        Pan pan = Pan.withCheckDigit("621" + String.format("%012d", random.nextInt(20)));
        int psn = random.nextInt(3);
        int atc = random.nextInt(65536);
        byte[] input = new byte[new int[] {1, 8, 16, 17, 114}[i % 5]];
        random.nextBytes(input);
        byte[] tac = CardCrypto.tac(suite, IssuerKeys.acKey(suite, imkAc, pan, psn), atc, input);
        assertThat(verifier.verify(suite, pan, psn, atc, input, tac)).as("record %d", i).isTrue();
        byte[] forged = tac.clone();
        forged[i % 8] ^= 1;
        assertThat(verifier.verify(suite, pan, psn, atc, input, forged)).isFalse();
        assertThat(verifier.verify(suite, pan, (psn + 1) % 3, atc, input, tac)).as("other PSN").isFalse();
      }
      assertThat(custody.cardKeyCacheStats().hits()).isPositive(); // 20 PANs × 3 PSNs: keys were reused
    }
  }

  /** Runs of one card, the same PAN under the other suite or PSN in between: always the right key. */
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void verify_inRunsOfOneCard_andAcrossSuites(AlgorithmSuite first) {
    Random random = new Random(7 + first.ordinal());
    Map<AlgorithmSuite, SecretKeyBytes> imkAc = new EnumMap<>(AlgorithmSuite.class);
    Map<AlgorithmSuite, List<KeyRef>> refs = new EnumMap<>(AlgorithmSuite.class);
    try (SoftwareKeyCustody custody = custody(random)) {
      for (AlgorithmSuite suite : AlgorithmSuite.values()) {
        imkAc.put(suite, key(random));
        refs.put(suite, List.of(custody.importClear(IssuerKeys.imkAcLabel(suite), suite, KeyUsage.ISSUER_MASTER,
            imkAc.get(suite))));
      }
      TacVerifier verifier = new TacVerifier(custody, refs);
      AlgorithmSuite other = AlgorithmSuite.values()[1 - first.ordinal()];
      for (int card = 0; card < 30; card++) {
        Pan pan = Pan.withCheckDigit("621" + String.format("%012d", card / 3)); // three cards share each PAN
        AlgorithmSuite suite = card % 3 == 1 ? other : first;
        int psn = card % 3 == 2 ? 1 : 0;
        for (int tap = 0; tap < 1 + random.nextInt(4); tap++) {
          int atc = 1 + tap + random.nextInt(1000);
          byte[] input = new byte[114];
          random.nextBytes(input);
          byte[] tac = CardCrypto.tac(suite, IssuerKeys.acKey(suite, imkAc.get(suite), pan, psn), atc, input);
          assertThat(verifier.verify(suite, pan, psn, atc, input, tac)).as("card %d tap %d", card, tap).isTrue();
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void verify_withoutMasterKeyOrAtcOutOfRange_isRefused(AlgorithmSuite suite) {
    try (SoftwareKeyCustody custody = custody(new Random(1))) {
      TacVerifier verifier = new TacVerifier(custody, Map.of());
      Pan pan = Pan.withCheckDigit("621000000000001");
      assertThatThrownBy(() -> verifier.verify(suite, pan, 1, 1, new byte[8], new byte[8]))
          .isInstanceOf(IssuerInputException.class).hasMessageContaining("no IMK-AC");
      assertThatThrownBy(() -> verifier.verify(suite, pan, 1, 65536, new byte[8], new byte[8]))
          .isInstanceOf(IssuerInputException.class).hasMessageContaining("ATC 65536");
    }
  }
}
