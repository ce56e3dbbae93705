package io.iotpay.card.chip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.codec.Hex;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import javacard.security.CryptoException;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.junit.jupiter.api.Test;

class Sm3DigestTest {

  private static byte[] cardDigest(byte[] message) {
    Sm3Digest sm3 = new Sm3Digest();
    byte[] out = new byte[32];
    sm3.doFinal(message, (short) 0, (short) message.length, out, (short) 0);
    return out;
  }

  @Test
  void digest_matchesStandardExample1() {
    // GB/T 32905-2016 Appendix A.1: the 24-bit message "abc".
    assertThat(Hex.encode(cardDigest("abc".getBytes(StandardCharsets.US_ASCII))))
        .isEqualToIgnoringCase("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  }

  @Test
  void digest_matchesStandardExample2() {
    // GB/T 32905-2016 Appendix A.2: the 512-bit message "abcd" repeated 16 times.
    byte[] message = "abcd".repeat(16).getBytes(StandardCharsets.US_ASCII);
    assertThat(Hex.encode(cardDigest(message)))
        .isEqualToIgnoringCase("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
  }

  @Test
  void digest_matchesBouncyCastle_onEveryLengthAroundBlockBoundaries_andInPieces() {
    Random random = new Random(32905);
    Sm3Digest sm3 = new Sm3Digest();
    for (int length = 0; length <= 300; length++) {
      byte[] message = new byte[length];
      random.nextBytes(message);
      SM3Digest reference = new SM3Digest();
      reference.update(message, 0, length);
      byte[] expected = new byte[32];
      reference.doFinal(expected, 0);

      // Fed in two uneven pieces, so the block buffering is exercised too.
      int split = length == 0 ? 0 : random.nextInt(length);
      sm3.update(message, (short) 0, (short) split);
      byte[] actual = new byte[32];
      sm3.doFinal(message, (short) split, (short) (length - split), actual, (short) 0);
      assertThat(actual).as("length %d", length).isEqualTo(expected);
    }
  }

  @Test
  void update_beyondTheLengthBound_throwsIllegalUse() {
    Sm3Digest sm3 = new Sm3Digest();
    byte[] big = new byte[Sm3Digest.MESSAGE_BYTES_MAX + 1];
    assertThatThrownBy(() -> sm3.update(big, (short) 0, (short) big.length))
        .isInstanceOf(CryptoException.class)
        .satisfies(e -> assertThat(((CryptoException) e).getReason())
            .isEqualTo(CryptoException.ILLEGAL_USE));
  }
}
