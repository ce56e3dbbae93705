package io.iotpay.card.chip;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Random;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The card's scalar arithmetic against java.math.BigInteger, modulo both curves' n and p. */
class ModNTest {

  private static BigInteger modulus(String which) {
    X9ECParameters curve = ECNamedCurveTable.getByName(which.substring(2));
    return which.startsWith("n:") ? curve.getN() : curve.getCurve().getField().getCharacteristic();
  }

  private static byte[] bytes(BigInteger value) {
    return BigIntegers.asUnsignedByteArray(32, value);
  }

  private static BigInteger value(byte[] bytes) {
    return new BigInteger(1, bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"n:secp256r1", "n:sm2p256v1", "p:secp256r1", "p:sm2p256v1"})
  void arithmetic_matchesBigInteger(String which) {
    BigInteger m = modulus(which);
    ModN mod = new ModN(bytes(m), (short) 0);
    Random random = new Random(which.hashCode());
    byte[] out = new byte[32];
    for (int i = 0; i < 40; i++) {
      BigInteger a = new BigInteger(256, random).mod(m);
      BigInteger b = new BigInteger(256, random).mod(m);
      if (i == 0) {
        a = m.subtract(BigInteger.ONE);
        b = m.subtract(BigInteger.ONE);
      }
      mod.add(bytes(a), (short) 0, bytes(b), (short) 0, out, (short) 0);
      assertThat(value(out)).as("add").isEqualTo(a.add(b).mod(m));
      mod.subtract(bytes(a), (short) 0, bytes(b), (short) 0, out, (short) 0);
      assertThat(value(out)).as("subtract").isEqualTo(a.subtract(b).mod(m));
      mod.multiply(bytes(a), (short) 0, bytes(b), (short) 0, out, (short) 0);
      assertThat(value(out)).as("multiply").isEqualTo(a.multiply(b).mod(m));
    }
    for (int i = 0; i < 40; i++) {
      BigInteger a = new BigInteger(256, random).mod(m.subtract(BigInteger.ONE)).add(BigInteger.ONE);
      if (i < 3) {
        a = BigInteger.valueOf(i + 1); // 1, 2, 3: the smallest cases
      } else if (i == 3) {
        a = m.subtract(BigInteger.ONE);
      }
      mod.invert(bytes(a), (short) 0, out, (short) 0);
      assertThat(value(out)).as("invert %s", a).isEqualTo(a.modInverse(m));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"n:secp256r1", "n:sm2p256v1"})
  void invert_ofZero_throwsIllegalValue_insteadOfLooping(String which) {
    ModN mod = new ModN(bytes(modulus(which)), (short) 0);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> mod.invert(new byte[32], (short) 0, new byte[32], (short) 0))
        .isInstanceOf(javacard.security.CryptoException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"n:secp256r1", "n:sm2p256v1"})
  void reduceOnce_bringsAFieldElementBelowN(String which) {
    BigInteger n = modulus(which);
    ModN mod = new ModN(bytes(n), (short) 0);
    BigInteger x = n.add(BigInteger.valueOf(12345));
    byte[] buf = bytes(x);
    mod.reduceOnce(buf, (short) 0, (short) 0);
    assertThat(value(buf)).isEqualTo(BigInteger.valueOf(12345));
    assertThat(mod.notReduced(bytes(n), (short) 0)).isTrue();
    assertThat(mod.notReduced(bytes(n.subtract(BigInteger.ONE)), (short) 0)).isFalse();
  }
}
