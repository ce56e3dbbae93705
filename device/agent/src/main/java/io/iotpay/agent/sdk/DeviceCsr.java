package io.iotpay.agent.sdk;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;

/**
 * A PKCS#10 certificate signing request (RFC 2986) signed by the device's own key through its
 * {@link DeviceSigner}, so it works unchanged when the key is on the chip. Subject
 * {@code CN=<deviceId>}; signature SHA256withECDSA or SM3withSM2 by suite.
 */
public final class DeviceCsr {
  private DeviceCsr() {}

  /** The DER-encoded CSR; never null. */
  public static byte[] create(DeviceSigner signer) {
    SubjectPublicKeyInfo key = SubjectPublicKeyInfo.getInstance(signer.publicKey().getEncoded());
    PKCS10CertificationRequestBuilder builder = new PKCS10CertificationRequestBuilder(new X500Name("CN=" + signer.deviceId()), key);
    try {
      return builder.build(new SignerAdapter(signer)).getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException("CSR encoding failed", e);
    }
  }

  /** Buffers what BouncyCastle wants signed and hands it to the device signer in one call. */
  private static final class SignerAdapter implements ContentSigner {
    private final DeviceSigner signer;
    private final AlgorithmIdentifier algorithm;
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();

    SignerAdapter(DeviceSigner signer) {
      this.signer = signer;
      this.algorithm = new DefaultSignatureAlgorithmIdentifierFinder().find(jcaName(signer.suite()));
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
      return algorithm;
    }

    @Override
    public OutputStream getOutputStream() {
      return data;
    }

    @Override
    public byte[] getSignature() {
      return signer.sign(data.toByteArray());
    }
  }

  private static String jcaName(AlgorithmSuite suite) {
    return switch (suite) {
      case INTERNATIONAL -> "SHA256WITHECDSA";
      case NATIONAL -> "SM3WITHSM2";
    };
  }
}
