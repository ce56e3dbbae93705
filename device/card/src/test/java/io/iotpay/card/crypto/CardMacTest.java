package io.iotpay.card.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.util.Arrays;
import java.util.Random;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.Mac;
import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.macs.CBCBlockCipherMac;
import org.bouncycastle.crypto.macs.ISO9797Alg3Mac;
import org.bouncycastle.crypto.paddings.ISO7816d4Padding;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The card's MACs and block ciphers against BouncyCastle's engines and MACs on random inputs of
 * every length around the block boundaries (padding method 2 adds a whole block when aligned).
 */
class CardMacTest {

  private static BlockCipher16 cardCipher(AlgorithmSuite suite) {
    return suite == AlgorithmSuite.INTERNATIONAL ? new DesBlockCipher() : new Sm4BlockCipher();
  }

  private static BlockCipher referenceCipher(AlgorithmSuite suite) {
    return suite == AlgorithmSuite.INTERNATIONAL ? new DESedeEngine() : new SM4Engine();
  }

  private static Mac referenceRetail(AlgorithmSuite suite) {
    return suite == AlgorithmSuite.INTERNATIONAL
        ? new ISO9797Alg3Mac(new DESEngine(), new ISO7816d4Padding())
        : new CBCBlockCipherMac(new SM4Engine(), 128, new ISO7816d4Padding());
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void retailAndFullMacs_matchBouncyCastle_withAndWithoutIcv(AlgorithmSuite suite) {
    Random random = new Random(9);
    CardMac cardMac = new CardMac(cardCipher(suite));
    int n = cardMac.blockLength();
    for (int len = 0; len <= 3 * n + 1; len++) {
      byte[] key = bytes(random, 16);
      byte[] icv = bytes(random, n);
      byte[] data = bytes(random, len);
      byte[] out = new byte[n];

      cardMac.mac(key, (short) 0, icv, (short) 0, data, (short) 0, (short) len, true, out,
          (short) 0);
      Mac retail = referenceRetail(suite);
      retail.init(new ParametersWithIV(new KeyParameter(key), icv));
      assertThat(out).as("retail MAC, %d bytes", len).isEqualTo(run(retail, data));

      cardMac.mac(key, (short) 0, null, (short) 0, data, (short) 0, (short) len, false, out,
          (short) 0);
      Mac full = new CBCBlockCipherMac(referenceCipher(suite), n * 8, new ISO7816d4Padding());
      full.init(new KeyParameter(key));
      assertThat(out).as("full MAC, %d bytes", len).isEqualTo(run(full, data));
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void blockCipher_matchesBouncyCastleBothWays(AlgorithmSuite suite) {
    Random random = new Random(10);
    BlockCipher16 card = cardCipher(suite);
    int n = card.blockLength();
    for (int i = 0; i < 50; i++) {
      byte[] key = bytes(random, 16);
      byte[] block = bytes(random, n);
      BlockCipher reference = referenceCipher(suite);
      reference.init(true, new KeyParameter(key));
      byte[] expected = new byte[n];
      reference.processBlock(block, 0, expected, 0);
      card.setKey(key, (short) 0);
      byte[] out = new byte[n];
      card.encryptBlock(block, (short) 0, out, (short) 0);
      assertThat(out).isEqualTo(expected);
      card.decryptBlock(out, (short) 0, out, (short) 0);
      assertThat(out).isEqualTo(block);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void counterKey_isEmvCommonSessionKeyDerivation(AlgorithmSuite suite) {
    byte[] master = Hex.decode("00112233445566778899AABBCCDDEEFF");
    CardMac cardMac = new CardMac(cardCipher(suite));
    byte[] out = new byte[16];
    cardMac.deriveCounterKey(master, (short) 0, Hex.decode("0102"), (short) 0, out, (short) 0);
    BlockCipher reference = referenceCipher(suite);
    reference.init(true, new KeyParameter(master));
    int n = reference.getBlockSize();
    byte[] r = new byte[n];
    r[0] = 0x01;
    r[1] = 0x02;
    r[2] = (byte) 0xF0;
    byte[] expected = new byte[16];
    reference.processBlock(r, 0, expected, 0);
    if (n == 8) {
      r[2] = 0x0F;
      reference.processBlock(r, 0, expected, 8);
    }
    assertThat(out).isEqualTo(expected);
  }

  @Test
  void desBlockCipher_matchesTheFips81EcbExample() {
    // FIPS PUB 81 Appendix B, ECB example: key 0123456789ABCDEF, plaintext "Now is t" (4E6F772069732074)
    // → 3FA40E8A984D4815. With K1 = K2 the two-key triple DES is single DES.
    DesBlockCipher des = new DesBlockCipher();
    des.setKey(Hex.decode("0123456789ABCDEF0123456789ABCDEF"), (short) 0);
    byte[] out = new byte[8];
    des.encryptBlock(Hex.decode("4E6F772069732074"), (short) 0, out, (short) 0);
    assertThat(Hex.encode(out)).isEqualTo("3FA40E8A984D4815");
    des.encryptBlockChaining(Hex.decode("4E6F772069732074"), (short) 0, out, (short) 0);
    assertThat(Hex.encode(out)).isEqualTo("3FA40E8A984D4815");
  }

  @Test
  void equalsConstantTime_detectsADifferenceAnywhere() {
    byte[] a = bytes(new Random(3), 8);
    for (int i = 0; i < 8; i++) {
      byte[] b = Arrays.copyOf(a, 8);
      b[i] ^= 0x01;
      assertThat(CardMac.equalsConstantTime(a, (short) 0, b, (short) 0, (short) 8)).isFalse();
    }
    assertThat(CardMac.equalsConstantTime(a, (short) 0, a.clone(), (short) 0, (short) 8)).isTrue();
  }

  private static byte[] run(Mac mac, byte[] data) {
    mac.update(data, 0, data.length);
    byte[] out = new byte[mac.getMacSize()];
    mac.doFinal(out, 0);
    return out;
  }

  private static byte[] bytes(Random random, int n) {
    byte[] out = new byte[n];
    random.nextBytes(out);
    return out;
  }
}
