package io.iotpay.acquirer.pos.http;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.io.IOException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** PKCS#10 CSRs as a phone's secure element would make them (here with BouncyCastle). */
public final class Csrs {
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  private Csrs() {}

  public static KeyPair keyPair(AlgorithmSuite suite) {
    return suite.signature().generateKeyPair(new SecureRandom());
  }

  /** DER of a CSR for {@code keys}, signed with the suite's algorithm. */
  public static byte[] csr(AlgorithmSuite suite, KeyPair keys) {
    String algorithm = switch (suite) {
      case INTERNATIONAL -> "SHA256withECDSA";
      case NATIONAL -> "SM3withSM2";
    };
    try {
      return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=merchant phone"), keys.getPublic())
          .build(new JcaContentSignerBuilder(algorithm).setProvider(BC).build(keys.getPrivate()))
          .getEncoded();
    } catch (OperatorCreationException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String csrBase64(AlgorithmSuite suite) {
    return Base64.getEncoder().encodeToString(csr(suite, keyPair(suite)));
  }
}
