package io.iotpay.foundation.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CertificatesAndPemTest {
  private static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");
  private static final SecureRandom RANDOM = new SecureRandom();

  private static Certificates.Profile profile(String dn, long serial) {
    return new Certificates.Profile(dn, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(365)), BigInteger.valueOf(serial));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void leafIssuedByCa_passesCheck_andFailsOutsideValidity(AlgorithmSuite suite) {
    KeyPair caKeys = suite.signature().generateKeyPair(RANDOM);
    KeyPair leafKeys = suite.signature().generateKeyPair(RANDOM);
    X509Certificate ca = Certificates.issueCa(suite, caKeys, profile("CN=iotpay test CA,O=iotpay", 1));
    X509Certificate leaf = Certificates.issueLeaf(suite, ca, caKeys.getPrivate(), leafKeys.getPublic(), profile("CN=gate-0042,O=iotpay", 2));
    Certificates.check(suite, leaf, ca, NOW);
    assertThatThrownBy(() -> Certificates.check(suite, leaf, ca, NOW.plus(Duration.ofDays(400))))
        .isInstanceOf(CertificateCheckException.class)
        .hasMessageContaining("not valid at");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void leafSignedByAnotherKey_orCaWithoutCaFlag_fails(AlgorithmSuite suite) {
    KeyPair caKeys = suite.signature().generateKeyPair(RANDOM);
    KeyPair impostor = suite.signature().generateKeyPair(RANDOM);
    KeyPair leafKeys = suite.signature().generateKeyPair(RANDOM);
    X509Certificate ca = Certificates.issueCa(suite, caKeys, profile("CN=iotpay test CA", 1));
    X509Certificate forged = Certificates.issueLeaf(suite, ca, impostor.getPrivate(), leafKeys.getPublic(), profile("CN=forged", 3));
    assertThatThrownBy(() -> Certificates.check(suite, forged, ca, NOW))
        .isInstanceOf(CertificateCheckException.class)
        .hasMessageContaining("signature does not verify");
    // A leaf used as a CA: basic constraints say cA=false.
    X509Certificate leaf = Certificates.issueLeaf(suite, ca, caKeys.getPrivate(), leafKeys.getPublic(), profile("CN=leaf", 4));
    X509Certificate grandchild = Certificates.issueLeaf(suite, leaf, leafKeys.getPrivate(), impostor.getPublic(), profile("CN=grandchild", 5));
    assertThatThrownBy(() -> Certificates.check(suite, grandchild, leaf, NOW))
        .isInstanceOf(CertificateCheckException.class)
        .hasMessageContaining("cA=true");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void certificateOfOneSuite_failsCheckUnderTheOther(AlgorithmSuite suite) {
    AlgorithmSuite other = suite == AlgorithmSuite.INTERNATIONAL ? AlgorithmSuite.NATIONAL : AlgorithmSuite.INTERNATIONAL;
    KeyPair caKeys = suite.signature().generateKeyPair(RANDOM);
    X509Certificate ca = Certificates.issueCa(suite, caKeys, profile("CN=ca", 1));
    X509Certificate leaf = Certificates.issueLeaf(suite, ca, caKeys.getPrivate(), suite.signature().generateKeyPair(RANDOM).getPublic(), profile("CN=l", 2));
    assertThatThrownBy(() -> Certificates.check(other, leaf, ca, NOW)).isInstanceOf(CertificateCheckException.class);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void pem_roundTripsKeysAndCertificates(AlgorithmSuite suite) {
    KeyPair keys = suite.signature().generateKeyPair(RANDOM);
    String privatePem = Pem.write(keys.getPrivate());
    String publicPem = Pem.write(keys.getPublic());
    assertThat(privatePem).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(publicPem).startsWith("-----BEGIN PUBLIC KEY-----");
    var privateKey = Pem.readPrivateKey(privatePem, suite);
    var publicKey = Pem.readPublicKey(publicPem, suite);
    byte[] data = "hello".getBytes(StandardCharsets.US_ASCII);
    assertThat(suite.signature().verify(publicKey, data, suite.signature().sign(privateKey, data))).isTrue();
    X509Certificate ca = Certificates.issueCa(suite, keys, profile("CN=ca", 7));
    assertThat(Pem.readCertificate(Pem.write(ca))).isEqualTo(ca);
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void pem_keyOfTheOtherSuite_orGarbage_isRejectedWithReason(AlgorithmSuite suite) {
    AlgorithmSuite other = suite == AlgorithmSuite.INTERNATIONAL ? AlgorithmSuite.NATIONAL : AlgorithmSuite.INTERNATIONAL;
    String pem = Pem.write(other.signature().generateKeyPair(RANDOM).getPublic());
    assertThatThrownBy(() -> Pem.readPublicKey(pem, suite)).isInstanceOf(CryptoException.class).hasMessageContaining("expects " + suite.curveName());
    assertThatThrownBy(() -> Pem.readPrivateKey("hello", suite)).isInstanceOf(CryptoException.class).hasMessageContaining("no '-----BEGIN");
    assertThatThrownBy(() -> Pem.readPrivateKey("-----BEGIN PRIVATE KEY-----\n@@@@\n-----END PRIVATE KEY-----\n", suite))
        .isInstanceOf(CryptoException.class).hasMessageStartingWith("PEM:");
    assertThatThrownBy(() -> Pem.readPrivateKey(pem, suite)).isInstanceOf(CryptoException.class).hasMessageContaining("expected a private key");
  }

  /**
   * Every one-byte change of a CA certificate that still parses is refused by {@link Certificates#check}
   * with {@link CertificateCheckException}, never with BouncyCastle's unchecked exceptions (a damaged
   * public key point once escaped as IllegalArgumentException and became an HTTP 500 at the platform).
   */
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void everyOneByteChangeOfACertificate_isRefusedWithTheTypedException(AlgorithmSuite suite) throws Exception {
    KeyPair caKeys = suite.signature().generateKeyPair(RANDOM);
    X509Certificate ca = Certificates.issueCa(suite, caKeys, profile("CN=ca", 9));
    byte[] der = ca.getEncoded();
    int parsed = 0;
    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < der.length; i++) {
      byte[] changed = der.clone();
      changed[i] ^= (byte) (1 << (i % 8));
      X509Certificate damaged;
      try {
        damaged = Certificates.parse(changed);
      } catch (CertificateCheckException e) {
        continue;
      }
      if (Arrays.equals(damaged.getEncoded(), der)) {
        continue; // a BER variant the parser read back as the very same certificate (e.g. TRUE as FD, not FF)
      }
      parsed++;
      try {
        Certificates.check(suite, damaged, damaged, NOW);
        accepted.add("byte " + i);
      } catch (CertificateCheckException expected) {
        // refused, as it must be
      }
    }
    assertThat(accepted).as("one-byte changes the check accepted (of %d bytes)", der.length).isEmpty();
    assertThat(parsed).as("changes that still parse as another certificate, so the check was exercised").isPositive();
  }
}
