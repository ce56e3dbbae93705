package io.iotpay.platform.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.agent.sdk.DeviceCsr;
import io.iotpay.agent.sdk.SoftwareDeviceSigner;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Certificates;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DeviceCaTest {
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void verifyCsr_whenSignedByItsOwnKey_returnsIdAndKey_andIssuesACheckableCertificate(AlgorithmSuite suite) {
    DeviceCa ca = Pki.deviceCa(suite);
    KeyPair chip = suite.signature().generateKeyPair(Pki.RANDOM);

    DeviceCa.CsrContent content = ca.verifyCsr(Pki.csr("CN=washer-0001", chip, Pki.jcaAlgorithm(suite)));
    X509Certificate certificate = ca.issue(content.deviceId(), content.publicKey(), Pki.T0);

    assertThat(content.deviceId()).isEqualTo(new DeviceId("washer-0001"));
    assertThat(content.publicKey().getEncoded()).isEqualTo(chip.getPublic().getEncoded());
    Certificates.check(suite, certificate, ca.certificate(), Pki.T0);
    assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=washer-0001");
    assertThat(certificate.getPublicKey().getEncoded()).isEqualTo(chip.getPublic().getEncoded());
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void verifyCsr_madeBySdkThroughDeviceSigner_isAccepted(AlgorithmSuite suite) {
    SoftwareDeviceSigner signer = SoftwareDeviceSigner.generate("car-7", suite, Pki.RANDOM);

    DeviceCa.CsrContent content = Pki.deviceCa(suite).verifyCsr(DeviceCsr.create(signer));

    assertThat(content.deviceId().value()).isEqualTo("car-7");
    assertThat(content.publicKey().getEncoded()).isEqualTo(signer.publicKey().getEncoded());
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void verifyCsr_whenSignatureTampered_refusesCsrInvalid(AlgorithmSuite suite) {
    byte[] csr = Pki.csr("CN=dev-1", suite.signature().generateKeyPair(Pki.RANDOM), Pki.jcaAlgorithm(suite));
    // The signature BIT STRING ends the DER: flipping its last byte leaves the structure intact.
    csr[csr.length - 1] ^= 0x01;

    assertThatThrownBy(() -> Pki.deviceCa(suite).verifyCsr(csr))
        .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.reason()).isEqualTo(IdentityException.Reason.CSR_INVALID));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void verifyCsr_whenSignedWithOtherSuite_refusesCsrInvalid(AlgorithmSuite suite) {
    AlgorithmSuite other = Pki.other(suite);
    byte[] csr = Pki.csr("CN=dev-1", other.signature().generateKeyPair(Pki.RANDOM), Pki.jcaAlgorithm(other));

    assertThatThrownBy(() -> Pki.deviceCa(suite).verifyCsr(csr))
        .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.reason()).isEqualTo(IdentityException.Reason.CSR_INVALID))
        .hasMessageContaining("expects");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void verifyCsr_whenKeyOnOtherCurveButSuiteAlgorithmName_refusesCsrInvalid(AlgorithmSuite suite) {
    // SHA256withECDSA over an SM2-curve key (or SM3withSM2 over a P-256 key): right name, wrong curve.
    KeyPair otherCurve = Pki.other(suite).signature().generateKeyPair(Pki.RANDOM);
    byte[] csr = Pki.csr("CN=dev-1", otherCurve, Pki.jcaAlgorithm(suite));

    assertThatThrownBy(() -> Pki.deviceCa(suite).verifyCsr(csr))
        .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.reason()).isEqualTo(IdentityException.Reason.CSR_INVALID));
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void verifyCsr_whenGarbageOrNoCn_refusesMalformed(AlgorithmSuite suite) {
    DeviceCa ca = Pki.deviceCa(suite);
    byte[] noCn = Pki.csr("O=no common name", suite.signature().generateKeyPair(Pki.RANDOM), Pki.jcaAlgorithm(suite));
    byte[] badId = Pki.csr("CN=devices/other/x", suite.signature().generateKeyPair(Pki.RANDOM), Pki.jcaAlgorithm(suite));

    for (byte[] csr : new byte[][] {{0x30, 0x03, 0x02, 0x01, 0x01}, new byte[0], new byte[DeviceCa.CSR_BYTES_MAX + 1], noCn, badId}) {
      assertThatThrownBy(() -> ca.verifyCsr(csr))
          .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.reason()).isEqualTo(IdentityException.Reason.MALFORMED));
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void verifyCsr_whenCnIsNoDeviceId_refusesMalformed_withTheDeviceIdMessage(AlgorithmSuite suite) {
    KeyPair chip = suite.signature().generateKeyPair(Pki.RANDOM);
    byte[] slash = Pki.csr("CN=devices/other/x", chip, Pki.jcaAlgorithm(suite));
    byte[] colon = Pki.csr("CN=washer:1", chip, Pki.jcaAlgorithm(suite));

    assertThatThrownBy(() -> Pki.deviceCa(suite).verifyCsr(slash))
        .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.reason()).isEqualTo(IdentityException.Reason.MALFORMED))
        .hasMessageContaining("'/' at position 7");
    assertThatThrownBy(() -> Pki.deviceCa(suite).verifyCsr(colon))
        .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.reason()).isEqualTo(IdentityException.Reason.MALFORMED))
        .hasMessageContaining("':' at position 6");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void verifyCsr_withDotsAndUnderscoresInTheId_isAccepted(AlgorithmSuite suite) {
    SoftwareDeviceSigner signer = SoftwareDeviceSigner.generate("acme.meter_7", suite, Pki.RANDOM);

    assertThat(Pki.deviceCa(suite).verifyCsr(DeviceCsr.create(signer)).deviceId()).isEqualTo(DeviceId.of("acme.meter_7"));
  }

  /** DTLS/TLS stacks hand over certificates parsed by the JDK; their keys must be recognised too. */
  @org.junit.jupiter.api.Test
  void onSuiteCurve_acceptsJdkParsedKeysOfTheSuiteCurveOnly() throws Exception {
    java.security.KeyFactory jdk = java.security.KeyFactory.getInstance("EC", "SunEC");
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC", "SunEC");
    generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    java.security.PublicKey p256 = jdk.generatePublic(new java.security.spec.X509EncodedKeySpec(generator.generateKeyPair().getPublic().getEncoded()));
    generator.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
    java.security.PublicKey p384 = generator.generateKeyPair().getPublic();

    org.assertj.core.api.Assertions.assertThat(DeviceCa.onSuiteCurve(io.iotpay.foundation.crypto.AlgorithmSuite.INTERNATIONAL, p256)).isTrue();
    org.assertj.core.api.Assertions.assertThat(DeviceCa.onSuiteCurve(io.iotpay.foundation.crypto.AlgorithmSuite.INTERNATIONAL, p384)).isFalse();
    org.assertj.core.api.Assertions.assertThat(DeviceCa.onSuiteCurve(io.iotpay.foundation.crypto.AlgorithmSuite.NATIONAL, p256)).isFalse();
  }
}
