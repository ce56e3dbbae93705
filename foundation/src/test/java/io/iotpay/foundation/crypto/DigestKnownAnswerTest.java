package io.iotpay.foundation.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.Hex;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestKnownAnswerTest {
  private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);

  @Test
  void sm3_ofAbc_matchesGmT0004Example1() {
    // GM/T 0004-2012 (SM3), Appendix A.1, example 1: message "abc".
    assertThat(Hex.encode(DigestAlgorithm.SM3.digest(ABC)))
        .isEqualTo("66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0");
  }

  @Test
  void sha256_ofAbc_matchesFips180Example() {
    // FIPS 180-2, Appendix B.1 (SHA-256 of "abc").
    assertThat(Hex.encode(DigestAlgorithm.SHA_256.digest(ABC)))
        .isEqualTo("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD");
  }
}
