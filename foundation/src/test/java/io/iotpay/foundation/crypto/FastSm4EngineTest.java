package io.iotpay.foundation.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.codec.Hex;
import java.util.Random;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/**
 * The table-driven SM4 against the standard's examples (GB/T 32907-2016, Appendix A) and against
 * BouncyCastle's {@code SM4Engine} (an independent implementation that computes S and L per round).
 */
class FastSm4EngineTest {
  private static final String KEY = "0123456789ABCDEFFEDCBA9876543210";

  @Test
  void knownAnswer_gbt32907_exampleOne_encryptsAndDecrypts() {
    // GB/T 32907-2016 A.1: key = plaintext = 0123456789ABCDEFFEDCBA9876543210,
    // ciphertext = 681EDF34D206965E86B3E94F536E4246.
    FastSm4Engine sm4 = new FastSm4Engine();
    sm4.init(true, new KeyParameter(Hex.decode(KEY)));
    byte[] block = Hex.decode(KEY);
    sm4.processBlock(block, 0, block, 0);
    assertThat(Hex.encode(block)).isEqualToIgnoringCase("681EDF34D206965E86B3E94F536E4246");
    sm4.init(false, new KeyParameter(Hex.decode(KEY)));
    sm4.processBlock(block, 0, block, 0);
    assertThat(Hex.encode(block)).isEqualToIgnoringCase(KEY);
  }

  @Test
  void knownAnswer_gbt32907_exampleTwo_aMillionEncryptions() {
    // GB/T 32907-2016 A.2: the same key and plaintext encrypted 1,000,000 times in a row gives
    // 595298C7C6FD271F0402F804C33D3F66.
    FastSm4Engine sm4 = new FastSm4Engine();
    sm4.init(true, new KeyParameter(Hex.decode(KEY)));
    byte[] block = Hex.decode(KEY);
    for (int i = 0; i < 1_000_000; i++) {
      sm4.processBlock(block, 0, block, 0);
    }
    assertThat(Hex.encode(block)).isEqualToIgnoringCase("595298C7C6FD271F0402F804C33D3F66");
  }

  @Test
  void equalsBouncyCastle_forRandomKeysAndBlocks_bothDirections() {
    Random random = new Random(32907);
    FastSm4Engine fast = new FastSm4Engine();
    SM4Engine reference = new SM4Engine();
    for (int i = 0; i < 2000; i++) {
      byte[] key = new byte[16];
      byte[] block = new byte[16];
      random.nextBytes(key);
      random.nextBytes(block);
      boolean encrypting = i % 2 == 0;
      fast.init(encrypting, new KeyParameter(key));
      reference.init(encrypting, new KeyParameter(key));
      byte[] ours = new byte[16];
      byte[] theirs = new byte[16];
      fast.processBlock(block, 0, ours, 0);
      reference.processBlock(block, 0, theirs, 0);
      assertThat(ours).as("key %s block %s", Hex.encode(key), Hex.encode(block)).isEqualTo(theirs);
    }
  }

  @Test
  void badInput_isRefused() {
    FastSm4Engine sm4 = new FastSm4Engine();
    assertThatThrownBy(() -> sm4.processBlock(new byte[16], 0, new byte[16], 0))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> sm4.init(true, new KeyParameter(new byte[8])))
        .isInstanceOf(IllegalArgumentException.class);
    sm4.init(true, new KeyParameter(new byte[16]));
    assertThatThrownBy(() -> sm4.processBlock(new byte[15], 0, new byte[16], 0))
        .isInstanceOf(org.bouncycastle.crypto.DataLengthException.class);
    assertThatThrownBy(() -> sm4.processBlock(new byte[16], 0, new byte[16], 1))
        .isInstanceOf(org.bouncycastle.crypto.OutputLengthException.class);
    sm4.wipe();
    assertThatThrownBy(() -> sm4.processBlock(new byte[16], 0, new byte[16], 0))
        .isInstanceOf(IllegalStateException.class);
  }
}
