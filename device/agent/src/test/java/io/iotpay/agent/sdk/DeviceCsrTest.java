package io.iotpay.agent.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DeviceCsrTest {
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void create_isAPkcs10RequestSignedByTheDeviceKeyWithTheSuitesAlgorithm(AlgorithmSuite suite) throws Exception {
    SoftwareDeviceSigner signer = SoftwareDeviceSigner.generate("washer-9", suite, SdkFixture.RANDOM);

    PKCS10CertificationRequest csr = new PKCS10CertificationRequest(DeviceCsr.create(signer));

    assertThat(csr.getSubject().toString()).isEqualTo("CN=washer-9");
    assertThat(csr.getSubjectPublicKeyInfo().getEncoded()).isEqualTo(signer.publicKey().getEncoded());
    assertThat(new DefaultAlgorithmNameFinder().getAlgorithmName(csr.getSignatureAlgorithm()))
        .isEqualToIgnoringCase(suite == AlgorithmSuite.INTERNATIONAL ? "SHA256WITHECDSA" : "SM3WITHSM2");
    assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(new BouncyCastleProvider())
        .build(signer.publicKey()))).isTrue();
    SoftwareDeviceSigner other = SoftwareDeviceSigner.generate("washer-9", suite, SdkFixture.RANDOM);
    assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(new BouncyCastleProvider())
        .build(other.publicKey()))).isFalse();
  }
}
