package io.iotpay.foundation.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.SecureRandom;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECParameterSpec;
import org.bouncycastle.jce.spec.ECPrivateKeySpec;
import org.bouncycastle.jce.spec.ECPublicKeySpec;
import org.bouncycastle.math.ec.ECCurve;

/** Curves and fixed keys for known-answer tests. */
final class TestCurves {
  private TestCurves() {}

  /**
   * The 256-bit prime-field example curve of GB/T 32918 (SM2) Parts 2 and 3, Annexes A/B (also
   * draft-shen-sm2-ecdsa-02 §A): the published SM2 examples run on it, not on sm2p256v1.
   */
  static final ECParameterSpec SM2_EXAMPLE_CURVE = sm2ExampleCurve();

  static ECParameterSpec named(String name) {
    return ECNamedCurveTable.getParameterSpec(name);
  }

  static KeyPair keyPair(ECParameterSpec spec, String privateHex) {
    BigInteger d = new BigInteger(privateHex, 16);
    try {
      KeyFactory factory = KeyFactory.getInstance("EC", Providers.BC);
      return new KeyPair(
          factory.generatePublic(new ECPublicKeySpec(spec.getG().multiply(d).normalize(), spec)),
          factory.generatePrivate(new ECPrivateKeySpec(d, spec)));
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static ECParameterSpec sm2ExampleCurve() {
    BigInteger p = new BigInteger("8542D69E4C044F18E8B92435BF6FF7DE457283915C45517D722EDB8B08F1DFC3", 16);
    BigInteger a = new BigInteger("787968B4FA32C3FD2417842E73BBFEFF2F3C848B6831D7E0EC65228B3937E498", 16);
    BigInteger b = new BigInteger("63E4C6D3B23B0C849CF84241484BFE48F61D59A5B16BA06E6E12D1DA27C5249A", 16);
    BigInteger n = new BigInteger("8542D69E4C044F18E8B92435BF6FF7DD297720630485628D5AE74EE7C32E79B7", 16);
    BigInteger gx = new BigInteger("421DEBD61B62EAB6746434EBC3CC315E32220B3BADD50BDC4C4E6C147FEDD43D", 16);
    BigInteger gy = new BigInteger("0680512BCBB42C07D47349D2153B70C4E5D7FDFCBFA36EA1A85841B9E46E09A2", 16);
    ECCurve curve = new ECCurve.Fp(p, a, b, n, BigInteger.ONE);
    return new ECParameterSpec(curve, curve.createPoint(gx, gy), n, BigInteger.ONE);
  }

  /** A "random" source that returns fixed bytes: injects the published nonce k into a signer. */
  static final class FixedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] bytes;

    FixedRandom(String hex) {
      this.bytes = io.iotpay.foundation.codec.Hex.decode(hex);
    }

    @Override
    public void nextBytes(byte[] out) {
      if (out.length != bytes.length) {
        throw new AssertionError("expected a request for " + bytes.length + " bytes, got " + out.length);
      }
      System.arraycopy(bytes, 0, out, 0, out.length);
    }
  }
}
