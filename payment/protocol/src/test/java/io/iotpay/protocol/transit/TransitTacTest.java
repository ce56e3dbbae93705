package io.iotpay.protocol.transit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.MacAlgorithm;
import io.iotpay.foundation.crypto.MacPadding;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link TransitTac} against the card's formula of docs/card-apdus.md §6 written with foundation's
 * general primitives (the block cipher of the suite, ISO 9797-1 MAC algorithm 3 / the PBOC SM4 MAC),
 * over random keys, ATCs and input lengths around the block boundaries.
 */
class TransitTacTest {
  private static byte[] reference(AlgorithmSuite suite, byte[] acKey, int atc, byte[] input) {
    SecretKeyBytes key = new SecretKeyBytes(acKey);
    byte[] block = new byte[suite.cardBlockCipher().blockSizeBytes()];
    block[0] = (byte) (atc >>> 8);
    block[1] = (byte) atc;
    block[2] = (byte) 0xF0;
    return switch (suite) {
      case INTERNATIONAL -> {
        byte[] left = suite.cardBlockCipher().encryptBlock(key, block);
        block[2] = 0x0F;
        byte[] right = suite.cardBlockCipher().encryptBlock(key, block);
        byte[] session = new byte[16];
        System.arraycopy(left, 0, session, 0, 8);
        System.arraycopy(right, 0, session, 8, 8);
        yield MacAlgorithm.ISO9797_1_M3.mac(new SecretKeyBytes(session), input, MacPadding.METHOD_2);
      }
      case NATIONAL -> Arrays.copyOf(MacAlgorithm.pbocSm4Block(
          new SecretKeyBytes(suite.cardBlockCipher().encryptBlock(key, block)), null, input), 8);
    };
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void tac_equalsTheCardFormula_overKeysAtcsAndLengths(AlgorithmSuite suite) {
    Random random = new Random(suite.ordinal() + 12);
    TransitTac.Engine engine = new TransitTac.Engine();
    for (int i = 0; i < 200; i++) {
      byte[] key = new byte[16];
      random.nextBytes(key);
      byte[] input = new byte[1 + random.nextInt(100)];
      random.nextBytes(input);
      int atc = random.nextInt(0x10000);
      byte[] expected = reference(suite, key, atc, input);
      assertThat(TransitTac.tac(suite, key, atc, input)).hasSize(8).isEqualTo(expected);
      assertThat(engine.load(suite, key).tac(atc, input)).isEqualTo(expected);
      input[0] ^= 1;
      assertThat(TransitTac.tac(suite, key, atc, input)).isNotEqualTo(expected);
    }
  }

  @org.junit.jupiter.api.Test
  void oneEngine_overRunsOfCards_keysReloadedOnlyWhenTheyChange_givesEachCardsTac() {
    // Records come in card order: a card's key is scheduled once for its run. The same key bytes
    // under the other suite, a key again after another one, and a key differing in its last byte
    // must each be scheduled anew.
    Random random = new Random(97);
    TransitTac.Engine engine = new TransitTac.Engine();
    byte[] previous = new byte[16];
    for (int card = 0; card < 60; card++) {
      byte[] key = switch (card % 3) {
        case 0 -> { byte[] k = new byte[16]; random.nextBytes(k); yield k; }
        case 1 -> previous.clone(); // same bytes: the suite alternates below
        default -> { byte[] k = previous.clone(); k[15] ^= 1; yield k; }
      };
      AlgorithmSuite suite = AlgorithmSuite.values()[(card / 2 + card) % 2];
      for (int record = 0; record < 3; record++) {
        byte[] input = new byte[114];
        random.nextBytes(input);
        int atc = 1 + record + card;
        assertThat(engine.load(suite, key).tac(atc, input)).as("card %d record %d", card, record)
            .isEqualTo(reference(suite, key, atc, input));
      }
      previous = key;
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void badKeyOrAtc_isRefused(AlgorithmSuite suite) {
    assertThatThrownBy(() -> TransitTac.tac(suite, new byte[8], 1, new byte[4]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TransitTac.tac(suite, new byte[16], 0x10000, new byte[4]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @org.junit.jupiter.api.Test
  void input_acceptor_isTerminalIdThenOperatorId_spacePadded_andReadBack() {
    byte[] acceptor = TransitTac.Input.acceptor("G-01", io.iotpay.protocol.PartyId.of("METRO-A"));
    assertThat(new String(acceptor, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("G-01            METRO-A         ");
    byte[] input = new byte[TransitTac.Input.BYTES];
    System.arraycopy(acceptor, 0, input, TransitTac.Input.TERMINAL_ID, acceptor.length);
    assertThat(TransitTac.Input.terminalId(input)).isEqualTo("G-01");
    assertThat(TransitTac.Input.operatorId(input)).isEqualTo("METRO-A");
    assertThat(TransitTac.Input.BYTES).isEqualTo(114); // CDOL1 61, AIP 2, ATC 2, CID 1, IAD 4, 9F79 6, DF63 6, CAPP 32
    assertThatThrownBy(() -> TransitTac.Input.acceptor("G-0123456789ABCDEF", io.iotpay.protocol.PartyId.of("M")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
