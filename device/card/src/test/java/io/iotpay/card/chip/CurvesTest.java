package io.iotpay.card.chip;

import static org.assertj.core.api.Assertions.assertThat;

import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.Test;

/** The card's curve constants, typed in from the standards, against BouncyCastle's named curves. */
class CurvesTest {

  private static void assertCurve(String name, byte[] p, byte[] a, byte[] b, byte[] g, byte[] n) {
    X9ECParameters curve = ECNamedCurveTable.getByName(name);
    assertThat(p).as(name + " p")
        .isEqualTo(BigIntegers.asUnsignedByteArray(32, curve.getCurve().getField().getCharacteristic()));
    assertThat(a).as(name + " a").isEqualTo(curve.getCurve().getA().getEncoded());
    assertThat(b).as(name + " b").isEqualTo(curve.getCurve().getB().getEncoded());
    assertThat(g).as(name + " G").isEqualTo(curve.getG().getEncoded(false));
    assertThat(n).as(name + " n").isEqualTo(BigIntegers.asUnsignedByteArray(32, curve.getN()));
    assertThat(curve.getH().intValue()).as(name + " cofactor").isEqualTo(1);
  }

  @Test
  void p256_constants_matchSecp256r1() {
    assertCurve("secp256r1", Curves.P256_P, Curves.P256_A, Curves.P256_B, Curves.P256_G,
        Curves.P256_N);
  }

  @Test
  void sm2_constants_matchSm2p256v1() {
    assertCurve("sm2p256v1", Curves.SM2_P, Curves.SM2_A, Curves.SM2_B, Curves.SM2_G, Curves.SM2_N);
  }
}
