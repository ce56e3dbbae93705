package io.iotpay.card.chip;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.card.crypto.BlockCipher16;
import io.iotpay.card.crypto.Sm4BlockCipher;
import io.iotpay.foundation.codec.Hex;
import java.util.Arrays;
import java.util.Random;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.paddings.ISO7816d4Padding;
import org.bouncycastle.crypto.paddings.PaddedBufferedBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionCipherTest {

  private static final byte[] RFC4493_KEY = Hex.decode("2b7e151628aed2a6abf7158809cf4f3c");
  private static final byte[] RFC4493_MESSAGE = Hex.decode(
      "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
          + "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710");

  private static String cardCmac(SessionCipher cipher, byte[] key, byte[] message, int length) {
    byte[] out = new byte[16];
    cipher.cmac(key, (short) 0, message, (short) 0, (short) length, out, (short) 0, (short) 16);
    return Hex.encode(out);
  }

  @Test
  void aesCmac_matchesRfc4493Examples() {
    // RFC 4493 section 4, examples 1 to 4 (AES-128, message lengths 0, 16, 40 and 64).
    SessionCipher cipher = new SessionCipher(new AesBlockCipher());
    assertThat(cardCmac(cipher, RFC4493_KEY, RFC4493_MESSAGE, 0))
        .isEqualToIgnoringCase("bb1d6929e95937287fa37d129b756746");
    assertThat(cardCmac(cipher, RFC4493_KEY, RFC4493_MESSAGE, 16))
        .isEqualToIgnoringCase("070a16b46b4d4144f79bdd9dd04a287c");
    assertThat(cardCmac(cipher, RFC4493_KEY, RFC4493_MESSAGE, 40))
        .isEqualToIgnoringCase("dfa66747de9ae63030ca32611497c827");
    assertThat(cardCmac(cipher, RFC4493_KEY, RFC4493_MESSAGE, 64))
        .isEqualToIgnoringCase("51f0bebf7e3b9d92fc49741779363cfe");
  }

  private static BlockCipher16 card(String suite) {
    return suite.equals("AES") ? new AesBlockCipher() : new Sm4BlockCipher();
  }

  private static BlockCipher reference(String suite) {
    return suite.equals("AES") ? AESEngine.newInstance() : new SM4Engine();
  }

  @ParameterizedTest
  @ValueSource(strings = {"AES", "SM4"})
  void cmacAndCbc_matchBouncyCastle_onRandomInputs(String suite) throws Exception {
    SessionCipher cipher = new SessionCipher(card(suite));
    Random random = new Random(suite.hashCode());
    for (int length = 0; length <= 70; length++) {
      byte[] key = new byte[16];
      byte[] iv = new byte[16];
      byte[] message = new byte[length];
      random.nextBytes(key);
      random.nextBytes(iv);
      random.nextBytes(message);

      CMac mac = new CMac(reference(suite));
      mac.init(new KeyParameter(key));
      mac.update(message, 0, length);
      byte[] expectedMac = new byte[16];
      mac.doFinal(expectedMac, 0);
      assertThat(cardCmac(cipher, key, message, length)).as("%s CMAC length %d", suite, length)
          .isEqualTo(Hex.encode(expectedMac));

      PaddedBufferedBlockCipher cbc = new PaddedBufferedBlockCipher(
          CBCBlockCipher.newInstance(reference(suite)), new ISO7816d4Padding());
      cbc.init(true, new ParametersWithIV(new KeyParameter(key), iv));
      byte[] expected = new byte[cbc.getOutputSize(length)];
      int n = cbc.processBytes(message, 0, length, expected, 0);
      n += cbc.doFinal(expected, n);
      byte[] actual = new byte[length + 16];
      short ctLength = cipher.encryptCbc(key, (short) 0, iv, (short) 0, message, (short) 0,
          (short) length, actual, (short) 0);
      assertThat(Arrays.copyOf(actual, ctLength)).as("%s CBC length %d", suite, length)
          .isEqualTo(Arrays.copyOf(expected, n));

      byte[] back = new byte[ctLength];
      short ptLength = cipher.decryptCbc(key, (short) 0, iv, (short) 0, actual, (short) 0,
          ctLength, back, (short) 0);
      assertThat(Arrays.copyOf(back, ptLength)).isEqualTo(message);
    }
  }

  @Test
  void decryptCbc_withPaddingMissing_returnsMinusOne() {
    SessionCipher cipher = new SessionCipher(new Sm4BlockCipher());
    byte[] key = new byte[16];
    byte[] iv = new byte[16];
    // A ciphertext whose plaintext block is all zeros carries no 80 marker.
    Sm4BlockCipher sm4 = new Sm4BlockCipher();
    sm4.setKey(key, (short) 0);
    byte[] ct = new byte[16];
    sm4.encryptBlock(new byte[16], (short) 0, ct, (short) 0);
    byte[] out = new byte[16];
    assertThat(cipher.decryptCbc(key, (short) 0, iv, (short) 0, ct, (short) 0, (short) 16, out,
        (short) 0)).isEqualTo((short) -1);
  }
}
