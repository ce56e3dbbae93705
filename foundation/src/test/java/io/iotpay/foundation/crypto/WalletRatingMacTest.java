package io.iotpay.foundation.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Key separation of the wallet rating MACs (docs/wallet-apdus.md §3.8): the two directions' session
 * keys differ from each other and from the TAC's counter session key of the same card key, so a
 * MAC of one kind never passes as another; malformed inputs are refused typed. That the card
 * computes the same MACs is checked against the applet in device/terminal ({@code WalletRatingTest}).
 */
class WalletRatingMacTest {
  private static final HexFormat HEX = HexFormat.of();

  private static SecretKeyBytes randomKey() {
    byte[] key = new byte[16];
    new SecureRandom().nextBytes(key);
    return new SecretKeyBytes(key);
  }

  /** The TAC's session key as the card derives it (CardMac.deriveCounterKey): E_K(C ‖ F0 ‖ 00…) [‖ E_K(C ‖ 0F ‖ 00…)]. */
  private static byte[] tacSessionKey(AlgorithmSuite suite, SecretKeyBytes cardKey, int atc) {
    BlockCipherAlgorithm cipher = suite.cardBlockCipher();
    byte[] block = new byte[cipher.blockSizeBytes()];
    block[0] = (byte) (atc >>> 8);
    block[1] = (byte) atc;
    block[2] = (byte) 0xF0;
    byte[] first = cipher.encryptBlock(cardKey, block);
    if (suite == AlgorithmSuite.NATIONAL) {
      return first;
    }
    block[2] = 0x0F;
    byte[] out = Arrays.copyOf(first, 16);
    System.arraycopy(cipher.encryptBlock(cardKey, block), 0, out, 8, 8);
    return out;
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void eachDirectionHasItsOwnSessionKey_noneOfThemATacKey(AlgorithmSuite suite) {
    SecretKeyBytes cardKey = randomKey();
    for (int version : new int[] {1, 0x5014, 0x0001_0000, 0x7FFF_FFFF}) {
      byte[] v = {(byte) (version >>> 24), (byte) (version >>> 16), (byte) (version >>> 8), (byte) version};
      byte[] rating = WalletRatingMac.sessionKey(suite, cardKey, WalletRatingMac.TAG_RATING, v).value();
      byte[] confirmation = WalletRatingMac.sessionKey(suite, cardKey, WalletRatingMac.TAG_CONFIRMATION, v).value();
      assertThat(rating).isNotEqualTo(confirmation);
      for (int atc : new int[] {version >>> 16, version & 0xFFFF, 0}) {
        assertThat(tacSessionKey(suite, cardKey, atc)).isNotEqualTo(rating).isNotEqualTo(confirmation);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void theMacCoversEveryByte_andTheSameFieldsUnderTheOtherTagMacDifferently(AlgorithmSuite suite) {
    SecretKeyBytes cardKey = randomKey();
    byte[] rating = HEX.parseHex("61" + "6210000000000A1F" + "00005014" + "04" + "00002710" + "0F" + "009C");
    byte[] mac = WalletRatingMac.mac(suite, cardKey, rating);
    assertThat(mac).hasSize(WalletRatingMac.MAC_BYTES);
    for (int i = 1; i < rating.length; i++) {
      byte[] altered = rating.clone();
      altered[i] ^= 1;
      assertThat(WalletRatingMac.mac(suite, cardKey, altered)).as("byte %d", i).isNotEqualTo(mac);
    }
    byte[] confirmation = rating.clone();
    confirmation[0] = WalletRatingMac.TAG_CONFIRMATION;
    assertThat(WalletRatingMac.mac(suite, cardKey, confirmation)).isNotEqualTo(mac);
    assertThat(WalletRatingMac.mac(suite, randomKey(), rating)).isNotEqualTo(mac);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void anInputThatIsNotARatingOrAConfirmation_isRefused(AlgorithmSuite suite) {
    SecretKeyBytes cardKey = randomKey();
    byte[] debitTagged = new byte[21];
    debitTagged[0] = 0x21;
    assertThatThrownBy(() -> WalletRatingMac.mac(suite, cardKey, debitTagged)).isInstanceOf(CryptoException.class);
    byte[] rating = new byte[22];
    rating[0] = WalletRatingMac.TAG_RATING;
    assertThatThrownBy(() -> WalletRatingMac.mac(suite, cardKey, rating)).isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> WalletRatingMac.mac(suite, cardKey, null)).isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> WalletRatingMac.sessionKey(suite, cardKey, (byte) 0x21, new byte[4]))
        .isInstanceOf(CryptoException.class);
  }
}
