package io.iotpay.foundation.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BytesAndPositiveIdsTest {
  @Test
  void concat_joinsPartsInOrder_andEmptyPartsAddNothing() {
    byte[] joined = Bytes.concat(new byte[] {1, 2}, new byte[0], new byte[] {3});
    assertThat(joined).containsExactly(1, 2, 3);
    assertThat(Bytes.concat()).isEmpty();
  }

  @Test
  void positiveId_isTheFirstEightBytesOfSha256_withTheSignBitCleared() throws Exception {
    // Computed independently here from the JDK's SHA-256 of the same text.
    byte[] hash = MessageDigest.getInstance("SHA-256").digest("fares|BANK-A|42".getBytes(StandardCharsets.UTF_8));
    long expected = 0;
    for (byte b : Arrays.copyOf(hash, 8)) {
      expected = (expected << 8) | (b & 0xFF);
    }
    expected &= Long.MAX_VALUE;
    assertThat(PositiveIds.of("fares|BANK-A|42")).isEqualTo(expected).isPositive();
    assertThat(PositiveIds.of("fares|BANK-A|43")).isNotEqualTo(expected);
  }
}
