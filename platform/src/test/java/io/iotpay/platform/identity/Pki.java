package io.iotpay.platform.identity;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Certificates;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Test PKI: manufacturer CAs, device certificates and CSRs built with BouncyCastle's own builders. */
public final class Pki {
  public static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  public static final SecureRandom RANDOM = new SecureRandom();

  private Pki() {}

  /** A manufacturer CA: its keys and self-signed certificate. */
  public record Ca(KeyPair keys, X509Certificate certificate) {
    /** A device certificate {@code CN=deviceId} for {@code key}, valid for a year from T0 - 1 day. */
    public X509Certificate issue(AlgorithmSuite suite, String deviceId, PublicKey key) {
      return Certificates.issueLeaf(suite, certificate, keys.getPrivate(), key,
          new Certificates.Profile("CN=" + deviceId, T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(365)), serial()));
    }
  }

  public static Ca manufacturerCa(AlgorithmSuite suite, String dn) {
    KeyPair keys = suite.signature().generateKeyPair(RANDOM);
    X509Certificate certificate = Certificates.issueCa(suite, keys,
        new Certificates.Profile(dn, T0.minus(Duration.ofDays(10)), T0.plus(Duration.ofDays(3650)), serial()));
    return new Ca(keys, certificate);
  }

  public static DeviceCa deviceCa(AlgorithmSuite suite) {
    return DeviceCa.create(suite, "CN=iotpay device CA " + suite + ", O=iotpay", T0.minus(Duration.ofDays(1)),
        Duration.ofDays(3650), Duration.ofDays(365), RANDOM);
  }

  /** A PKCS#10 CSR for {@code subject} signed by {@code keys} with {@code jcaAlgorithm} (BC's builder). */
  public static byte[] csr(String subject, KeyPair keys, String jcaAlgorithm) {
    try {
      return new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keys.getPublic())
          .build(new JcaContentSignerBuilder(jcaAlgorithm).setProvider(Bc.PROVIDER).build(keys.getPrivate()))
          .getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static String jcaAlgorithm(AlgorithmSuite suite) {
    return switch (suite) {
      case INTERNATIONAL -> "SHA256WITHECDSA";
      case NATIONAL -> "SM3WITHSM2";
    };
  }

  public static AlgorithmSuite other(AlgorithmSuite suite) {
    return switch (suite) {
      case INTERNATIONAL -> AlgorithmSuite.NATIONAL;
      case NATIONAL -> AlgorithmSuite.INTERNATIONAL;
    };
  }

  private static BigInteger serial() {
    return new BigInteger(64, RANDOM).setBit(0);
  }
}
