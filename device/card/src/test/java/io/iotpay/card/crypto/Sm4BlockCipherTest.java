package io.iotpay.card.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.Hex;
import java.util.Random;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

class Sm4BlockCipherTest {

  @Test
  void encrypt_matchesStandardExample() {
    // GB/T 32907-2016 Appendix A, example 1 (also GM/T 0004-2012): key = plaintext.
    byte[] key = Hex.decode("0123456789ABCDEFFEDCBA9876543210");
    Sm4BlockCipher sm4 = new Sm4BlockCipher();
    sm4.setKey(key, (short) 0);
    byte[] out = new byte[16];
    sm4.encryptBlock(key, (short) 0, out, (short) 0);
    assertThat(Hex.encode(out)).isEqualToIgnoringCase("681EDF34D206965E86B3E94F536E4246");
    byte[] back = new byte[16];
    sm4.decryptBlock(out, (short) 0, back, (short) 0);
    assertThat(back).isEqualTo(key);
  }

  @Test
  void encryptAndDecrypt_matchBouncyCastleOnRandomInputs() {
    Random random = new Random(4);
    Sm4BlockCipher sm4 = new Sm4BlockCipher();
    for (int i = 0; i < 200; i++) {
      byte[] key = new byte[16];
      byte[] block = new byte[16];
      random.nextBytes(key);
      random.nextBytes(block);
      SM4Engine reference = new SM4Engine();
      reference.init(true, new KeyParameter(key));
      byte[] expected = new byte[16];
      reference.processBlock(block, 0, expected, 0);

      sm4.setKey(key, (short) 0);
      byte[] actual = new byte[16];
      sm4.encryptBlock(block, (short) 0, actual, (short) 0);
      assertThat(actual).as("encrypt #%d", i).isEqualTo(expected);
      byte[] back = new byte[16];
      sm4.decryptBlock(actual, (short) 0, back, (short) 0);
      assertThat(back).as("decrypt #%d", i).isEqualTo(block);
    }
  }
}
