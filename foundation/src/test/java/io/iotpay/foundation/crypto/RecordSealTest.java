package io.iotpay.foundation.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RecordSealTest {
  private static final byte[] RECORD = "0100 field 2 = 6212345678901232".getBytes(StandardCharsets.US_ASCII);

  private static RecordSeal seal(AlgorithmSuite suite, String macKeyHex) {
    return new RecordSeal(suite, SecretKeyBytes.fromHex("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF"), SecretKeyBytes.fromHex(macKeyHex));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void sealed_opensToTheRecord_andHidesIt(AlgorithmSuite suite) {
    RecordSeal seal = seal(suite, "E0E1E2E3E4E5E6E7E8E9EAEBECEDEEEF");
    byte[] sealed = seal.seal(RECORD);
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("6212345678901232");
    assertThat(seal.open(sealed)).hasValueSatisfying(plain -> assertThat(plain).isEqualTo(RECORD));
    assertThat(seal.seal(RECORD)).as("a random IV each time").isNotEqualTo(sealed);
    assertThat(seal.open(seal.seal(new byte[0]))).hasValueSatisfying(plain -> assertThat(plain).isEmpty());
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void everyFlippedBit_anotherKey_orATruncation_opensToNothing(AlgorithmSuite suite) {
    RecordSeal seal = seal(suite, "E0E1E2E3E4E5E6E7E8E9EAEBECEDEEEF");
    byte[] sealed = seal.seal(RECORD);
    for (int bit = 0; bit < sealed.length * 8; bit++) {
      byte[] damaged = sealed.clone();
      damaged[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThat(seal.open(damaged)).as("bit %d", bit).isEmpty();
    }
    assertThat(seal(suite, "F0E1E2E3E4E5E6E7E8E9EAEBECEDEEEF").open(sealed)).isEmpty();
    assertThat(seal.open(java.util.Arrays.copyOf(sealed, sealed.length - 1))).isEmpty();
    assertThat(seal.open(new byte[0])).isEmpty();
    assertThat(seal.open(null)).isEmpty();
  }
}
