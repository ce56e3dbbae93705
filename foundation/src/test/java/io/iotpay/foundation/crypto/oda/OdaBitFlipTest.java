package io.iotpay.foundation.crypto.oda;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A single-bit change anywhere in the inputs of a genuine fDDA tap is refused: every byte of every
 * field gets one flipped bit, the bit position walking through 0..7 along the field (all bits of
 * every byte would be 8 times the SM2 verifications for no new code path).
 */
class OdaBitFlipTest {
  private static final int PAN = 0;
  private static final int ISSUER_CERT = 1;
  private static final int ISSUER_REMAINDER = 2;
  private static final int ISSUER_EXPONENT = 3;
  private static final int ICC_CERT = 4;
  private static final int ICC_REMAINDER = 5;
  private static final int ICC_EXPONENT = 6;
  private static final int STATIC_DATA = 7;
  private static final int TERMINAL_DATA = 8;
  private static final int SIGNED = 9;
  private static final int FIELDS = 10;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aBitFlippedInEveryByte_isRefused(AlgorithmSuite suite) {
    OdaFixture f = OdaFixture.of(suite);
    OdaVerifier verifier = f.verifier();
    FddaData data = OdaFixture.fdda("31415926");
    byte[][] genuine = fields(f.card(), data.signedData(), f.sign(data));
    assertThat(verify(verifier, suite, genuine).ok()).as("the genuine tap").isTrue();

    List<String> accepted = new ArrayList<>();
    int flips = 0;
    for (int field = 0; field < FIELDS; field++) {
      for (int at = 0; at < genuine[field].length; at++) {
        int bit = (at + field) % 8;
        byte[][] mutated = copy(genuine);
        mutated[field][at] ^= (byte) (1 << bit);
        flips++;
        if (verify(verifier, suite, mutated).ok()) {
          accepted.add("field " + field + " byte " + at + " bit " + bit);
        }
      }
    }
    assertThat(accepted).as("flips accepted out of " + flips).isEmpty();
    assertThat(flips).isGreaterThan(400);
  }

  private static OdaResult verify(OdaVerifier verifier, AlgorithmSuite suite, byte[][] v) {
    CardOdaData card = new CardOdaData(OdaFixture.RID, OdaFixture.CA_INDEX, v[PAN], v[ISSUER_CERT], v[ISSUER_REMAINDER],
        v[ISSUER_EXPONENT], v[ICC_CERT], v[ICC_REMAINDER], v[ICC_EXPONENT], v[STATIC_DATA]);
    return verifier.verifyDynamic(suite, card, v[TERMINAL_DATA], v[SIGNED], OdaFixture.TODAY);
  }

  private static byte[][] fields(CardOdaData card, byte[] terminalData, byte[] signed) {
    byte[][] out = new byte[FIELDS][];
    out[PAN] = card.pan();
    out[ISSUER_CERT] = card.issuerCertificate();
    out[ISSUER_REMAINDER] = card.issuerRemainder();
    out[ISSUER_EXPONENT] = card.issuerExponent();
    out[ICC_CERT] = card.iccCertificate();
    out[ICC_REMAINDER] = card.iccRemainder();
    out[ICC_EXPONENT] = card.iccExponent();
    out[STATIC_DATA] = card.staticData();
    out[TERMINAL_DATA] = terminalData;
    out[SIGNED] = signed;
    return out;
  }

  private static byte[][] copy(byte[][] fields) {
    byte[][] out = new byte[fields.length][];
    for (int i = 0; i < fields.length; i++) {
      out[i] = Arrays.copyOf(fields[i], fields[i].length);
    }
    return out;
  }
}
