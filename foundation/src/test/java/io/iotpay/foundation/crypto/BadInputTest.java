package io.iotpay.foundation.crypto;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.codec.CodecException;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BadInputTest {
  private static final SecretKeyBytes KEY16 = SecretKeyBytes.fromHex("0123456789ABCDEFFEDCBA9876543210");

  @Test
  void wrongKeyLengths_nameTheCipherAndTheExpectedLength() {
    assertThatThrownBy(() -> BlockCipherAlgorithm.TDES.encryptBlock(SecretKeyBytes.fromHex("0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"), new byte[8]))
        .isInstanceOf(CryptoException.class).hasMessage("3DES: key of 24 bytes, expected 16 bytes (two-key 3DES)");
    assertThatThrownBy(() -> BlockCipherAlgorithm.SM4.encryptBlock(SecretKeyBytes.fromHex("0011"), new byte[16]))
        .isInstanceOf(CryptoException.class).hasMessage("SM4: key of 2 bytes, expected 16 bytes");
    assertThatThrownBy(() -> MacAlgorithm.ISO9797_1_M3.mac(SecretKeyBytes.fromHex("0123456789ABCDEF"), new byte[1], null))
        .isInstanceOf(CryptoException.class).hasMessageContaining("expected 16");
    assertThatThrownBy(() -> new SecretKeyBytes(new byte[0])).isInstanceOf(CryptoException.class).hasMessageContaining("empty");
  }

  @Test
  void oddHex_isACodecErrorWithTheLength() {
    assertThatThrownBy(() -> SecretKeyBytes.fromHex("ABC")).isInstanceOf(CodecException.class).hasMessageContaining("odd length 3");
    assertThatThrownBy(() -> SecretKeyBytes.fromHex("ZZ")).isInstanceOf(CodecException.class).hasMessageContaining("position 0");
  }

  @Test
  void unknownNames_listTheAcceptedOnes() {
    assertThatThrownBy(() -> BlockCipherAlgorithm.byName("DES")).isInstanceOf(CryptoException.class).hasMessageContaining("expected 3DES, AES or SM4");
    assertThatThrownBy(() -> MacAlgorithm.byName("HMAC")).isInstanceOf(CryptoException.class).hasMessageContaining("PBOC-SM4");
    assertThatThrownBy(() -> CipherMode.byName("GCM")).isInstanceOf(CryptoException.class).hasMessageContaining("ECB or CBC");
    assertThatThrownBy(() -> MacPadding.byNumber(3)).isInstanceOf(CryptoException.class).hasMessageContaining("1 or 2");
    assertThatThrownBy(() -> AlgorithmSuite.byName("MARTIAN")).isInstanceOf(CryptoException.class);
  }

  @ParameterizedTest
  @EnumSource(BlockCipherAlgorithm.class)
  void dataNotBlockAligned_saysSo(BlockCipherAlgorithm cipher) {
    SecretKeyBytes key = KEY16;
    assertThatThrownBy(() -> cipher.encrypt(CipherMode.CBC, key, null, new byte[cipher.blockSizeBytes() + 1]))
        .isInstanceOf(CryptoException.class)
        .hasMessageContaining("is not a multiple of the " + cipher.blockSizeBytes() + "-byte block");
    assertThatThrownBy(() -> cipher.encrypt(CipherMode.CBC, key, new byte[3], new byte[cipher.blockSizeBytes()]))
        .isInstanceOf(CryptoException.class).hasMessageContaining("IV of 3 bytes");
    assertThatThrownBy(() -> cipher.encrypt(CipherMode.ECB, key, new byte[cipher.blockSizeBytes()], new byte[cipher.blockSizeBytes()]))
        .isInstanceOf(CryptoException.class).hasMessageContaining("takes no IV");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void malformedPanOrAtc_isRejectedWithoutEchoingThePan(AlgorithmSuite suite) {
    assertThatThrownBy(() -> EmvKeyDerivation.cardMasterKey(suite, KEY16, "62123456789O1234", "00"))
        .isInstanceOf(CryptoException.class)
        .hasMessage("PAN: character at position 11 is not a decimal digit");
    assertThatThrownBy(() -> EmvKeyDerivation.cardMasterKey(suite, KEY16, "12345", "00"))
        .isInstanceOf(CryptoException.class).hasMessageContaining("5 digits, expected 12 to 19");
    assertThatThrownBy(() -> EmvKeyDerivation.sessionKey(suite, KEY16, 0x10000))
        .isInstanceOf(CryptoException.class).hasMessageContaining("outside 0..65535");
    assertThatThrownBy(() -> Scp02.cardCryptogram(suite, KEY16, new byte[7], 1, new byte[6]))
        .isInstanceOf(CryptoException.class).hasMessageContaining("host challenge must be 8 bytes");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void misplacedParameters_areTypedErrors(AlgorithmSuite suite) {
    var keys = suite.signature().generateKeyPair(new SecureRandom());
    switch (suite) {
      case INTERNATIONAL -> assertThatThrownBy(() -> suite.signature().sign(keys.getPrivate(), new byte[1], new byte[] {1}))
          .isInstanceOf(CryptoException.class).hasMessageContaining("takes no user id");
      case NATIONAL -> assertThatThrownBy(() -> suite.signature().signDeterministic(keys.getPrivate(), new byte[1]))
          .isInstanceOf(CryptoException.class).hasMessageContaining("no deterministic");
    }
    assertThatThrownBy(() -> suite.mac().mac(KEY16, new byte[1], MacPadding.METHOD_1))
        .isInstanceOf(CryptoException.class).hasMessageContaining("takes no padding");
  }

  @Test
  void keyToString_neverShowsTheBytes() {
    org.assertj.core.api.Assertions.assertThat(KEY16.toString()).isEqualTo("SecretKeyBytes[16 bytes]");
  }
}
