package io.iotpay.foundation.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.Hex;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The table key schedule against BouncyCastle's bit-by-bit one, and the engines that use it
 * against independent implementations: the JDK's own DES / DESede (SunJCE) for 3DES, BouncyCastle's
 * plain SM4 engine for SM4 (the suite uses the table-driven FastSm4Engine).
 */
class DesKeyTablesTest {
  @Test
  void schedule_equalsBouncyCastles_forRandomKeysBothDirections() {
    Random random = new Random(7);
    DesKeyTables.Reference reference = new DesKeyTables.Reference();
    for (int i = 0; i < 2000; i++) {
      byte[] key = new byte[8];
      random.nextBytes(key);
      boolean encrypting = i % 2 == 0;
      assertThat(DesKeyTables.schedule(encrypting, key)).isEqualTo(reference.schedule(encrypting, key));
    }
  }

  @Test
  void fastDes_reKeyedInPlace_manyTimes_equalsBouncyCastlesEngine_bothDirections() {
    // One FastDesEngine rewrites one schedule array at every init: no key may leak into the next.
    Random random = new Random(13);
    FastDesEngine fast = new FastDesEngine();
    for (int i = 0; i < 2000; i++) {
      byte[] key = new byte[8];
      byte[] block = new byte[8];
      random.nextBytes(key);
      random.nextBytes(block);
      boolean encrypting = random.nextBoolean();
      org.bouncycastle.crypto.engines.DESEngine reference = new org.bouncycastle.crypto.engines.DESEngine();
      reference.init(encrypting, new KeyParameter(key));
      fast.init(encrypting, new KeyParameter(key));
      byte[] expected = new byte[8];
      byte[] actual = new byte[8];
      reference.processBlock(block, 0, expected, 0);
      fast.processBlock(block, 0, actual, 0);
      assertThat(actual).isEqualTo(expected);
    }
  }

  @Test
  void fastDes_knownAnswer() {
    // J. Orlin Grabbe, "The DES Algorithm Illustrated": K = 133457799BBCDFF1, M = 0123456789ABCDEF,
    // C = 85E813540F0AB405.
    FastDesEngine des = new FastDesEngine();
    des.init(true, new KeyParameter(Hex.decode("133457799BBCDFF1")));
    byte[] out = new byte[8];
    des.processBlock(Hex.decode("0123456789ABCDEF"), 0, out, 0);
    assertThat(Hex.encode(out)).isEqualToIgnoringCase("85E813540F0AB405");
    des.init(false, new KeyParameter(Hex.decode("133457799BBCDFF1")));
    des.processBlock(out, 0, out, 0);
    assertThat(Hex.encode(out)).isEqualToIgnoringCase("0123456789ABCDEF");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void suiteEngine_equalsIndependentImplementation_forRandomKeys(AlgorithmSuite suite) throws Exception {
    Random random = new Random(11 + suite.ordinal());
    for (int i = 0; i < 300; i++) {
      byte[] key = new byte[16];
      byte[] block = new byte[suite.cardBlockCipher().blockSizeBytes()];
      random.nextBytes(key);
      random.nextBytes(block);
      BlockCipher engine = suite.cardBlockCipher().newEngine(new SecretKeyBytes(key), true);
      byte[] ours = new byte[block.length];
      engine.processBlock(block, 0, ours, 0);
      assertThat(ours).isEqualTo(independent(suite, key, block));
    }
  }

  private static byte[] independent(AlgorithmSuite suite, byte[] key, byte[] block) throws Exception {
    return switch (suite) {
      case INTERNATIONAL -> {
        byte[] k3 = new byte[24]; // two-key 3DES as K1 K2 K1 for the JDK
        System.arraycopy(key, 0, k3, 0, 16);
        System.arraycopy(key, 0, k3, 16, 8);
        Cipher cipher = Cipher.getInstance("DESede/ECB/NoPadding", "SunJCE");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k3, "DESede"));
        yield cipher.doFinal(block);
      }
      case NATIONAL -> {
        SM4Engine sm4 = new SM4Engine();
        sm4.init(true, new KeyParameter(key));
        byte[] out = new byte[16];
        sm4.processBlock(block, 0, out, 0);
        yield out;
      }
    };
  }
}
