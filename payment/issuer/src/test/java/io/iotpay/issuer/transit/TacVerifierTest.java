package io.iotpay.issuer.transit;

import io.iotpay.issuer.IssuerInputException;
import io.iotpay.issuer.card.CardCrypto;
import io.iotpay.issuer.card.IssuerKeys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.protocol.Pan;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fast verifier against {@link CardCrypto#tac} (the formula the applet tests pin down in
 * IssuerEndToEndTest): same TAC for random keys, PANs, ATCs and inputs of several lengths, cached
 * card key or not; a flipped bit fails.
 */
class TacVerifierTest {
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void tac_equalsCardCrypto_andRejectsAFlippedBit(AlgorithmSuite suite) {
    Random random = new Random(42 + suite.ordinal());
    byte[] imk = new byte[16];
    random.nextBytes(imk);
    SecretKeyBytes imkAc = new SecretKeyBytes(imk);
    TacVerifier verifier = new TacVerifier(Map.of(suite, imkAc));
    for (int i = 0; i < 200; i++) {
      Pan pan = Pan.withCheckDigit("621" + String.format("%012d", random.nextInt(20)));
      int psn = random.nextInt(3);
      int atc = random.nextInt(65536);
      byte[] input = new byte[new int[] {1, 8, 16, 17, 82}[i % 5]];
      random.nextBytes(input);
      byte[] expected = CardCrypto.tac(suite, IssuerKeys.acKey(suite, imkAc, pan, psn), atc, input);
      assertThat(verifier.tac(suite, pan, psn, atc, input)).isEqualTo(expected);
      assertThat(verifier.verify(suite, pan, psn, atc, input, expected)).isTrue();
      byte[] forged = expected.clone();
      forged[i % 8] ^= 1;
      assertThat(verifier.verify(suite, pan, psn, atc, input, forged)).isFalse();
    }
  }

  /**
   * Records in card order (runs of one card, as a clearing file gives them), the same PAN under the
   * other suite or PAN sequence in between: the card key a thread keeps loaded is always the right one.
   */
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void tac_inRunsOfOneCard_andAcrossSuites_equalsCardCrypto(AlgorithmSuite first) {
    Random random = new Random(7 + first.ordinal());
    Map<AlgorithmSuite, SecretKeyBytes> imkAc = new java.util.EnumMap<>(AlgorithmSuite.class);
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      byte[] imk = new byte[16];
      random.nextBytes(imk);
      imkAc.put(suite, new SecretKeyBytes(imk));
    }
    TacVerifier verifier = new TacVerifier(imkAc);
    AlgorithmSuite other = AlgorithmSuite.values()[1 - first.ordinal()];
    for (int card = 0; card < 30; card++) {
      Pan pan = Pan.withCheckDigit("621" + String.format("%012d", card / 3)); // three cards share each PAN
      AlgorithmSuite suite = card % 3 == 1 ? other : first;
      int psn = card % 3 == 2 ? 1 : 0;
      for (int tap = 0; tap < 1 + random.nextInt(4); tap++) {
        int atc = 1 + tap + random.nextInt(1000);
        byte[] input = new byte[82];
        random.nextBytes(input);
        byte[] expected = CardCrypto.tac(suite, IssuerKeys.acKey(suite, imkAc.get(suite), pan, psn), atc, input);
        assertThat(verifier.tac(suite, pan, psn, atc, input)).as("card %d tap %d", card, tap).isEqualTo(expected);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void tac_withoutMasterKeyOrAtcOutOfRange_isRefused(AlgorithmSuite suite) {
    TacVerifier verifier = new TacVerifier(Map.of());
    Pan pan = Pan.withCheckDigit("621000000000001");
    assertThatThrownBy(() -> verifier.tac(suite, pan, 1, 1, new byte[8])).isInstanceOf(IssuerInputException.class)
        .hasMessageContaining("no IMK-AC");
    assertThatThrownBy(() -> verifier.tac(suite, pan, 1, 65536, new byte[8])).isInstanceOf(IssuerInputException.class)
        .hasMessageContaining("ATC 65536");
  }
}
