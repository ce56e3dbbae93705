package io.iotpay.bench.oda;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OdaBenchTest {

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void figures_countTheRecordsAndBytesOfDocsOdaSizes(AlgorithmSuite suite) {
    OdaBench.Figures f = OdaBench.run(suite, 5, 20);

    boolean rsa = suite == AlgorithmSuite.INTERNATIONAL;
    // RSA: 8F | 90 (248 bytes fill a record) | 9F32 9F46 9F47; SM2: 8F 90 | 9F46 (docs/oda.md).
    assertThat(f.recordReads()).isEqualTo(rsa ? 3 : 2);
    assertThat(f.recordBytesToCard()).isEqualTo(5 * f.recordReads());
    // 9F69 (9F 69 07 + 7) and 9F4B (tag 2, length 2 or 1, value 128 or 76).
    assertThat(f.answerBytes()).isEqualTo(rsa ? 3 + 7 + 2 + 2 + 128 : 3 + 7 + 2 + 1 + 76);
    assertThat(f.cardSignatureMs()).isEqualTo(rsa ? SecureElementTimings.RSA_1024_CRT_JCOP4_P71_MS
        : SecureElementTimings.ECDSA_P256_JCOP4_P71_MS);
    assertThat(f.airMs()).isBetween(10.0, 100.0);
    assertThat(f.chainMedianNanos()).isGreaterThanOrEqualTo(f.signatureMedianNanos());
  }
}
