package io.iotpay.acquirer.pos.merchant;

import io.iotpay.acquirer.pos.merchant.OnboardingException.Reason;
import io.iotpay.foundation.Assert;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Certificates;
import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

/**
 * The acquirer's terminal CA of one suite: issues terminal certificates from PKCS#10 CSRs made in
 * the phone's secure element (ECDSA P-256 with SHA-256, or SM2 with SM3 and the default user id),
 * in the style of the platform's device CA. The CA key lives in memory here; production keeps it in
 * an HSM behind the same methods.
 */
public final class TerminalCa {
  /** Largest CSR accepted, bytes: an EC P-256 or SM2 CSR is about 250..400 bytes. */
  public static final int CSR_BYTES_MAX = 4096;
  /** Passed explicitly, never installed in the JVM's provider list. */
  private static final Provider BC = new BouncyCastleProvider();

  private final AlgorithmSuite suite;
  private final KeyPair keys;
  private final X509Certificate certificate;
  private final Duration terminalValidity;
  private final SecureRandom random;

  private TerminalCa(AlgorithmSuite suite, KeyPair keys, X509Certificate certificate, Duration terminalValidity, SecureRandom random) {
    this.suite = Assert.notNull(suite, "suite");
    this.keys = Assert.notNull(keys, "keys");
    this.certificate = Assert.notNull(certificate, "certificate");
    this.terminalValidity = Assert.notNull(terminalValidity, "terminalValidity");
    this.random = Assert.notNull(random, "random");
  }

  /** A new CA with a fresh key pair, self-signed, valid from {@code notBefore} for {@code caValidity}. */
  public static TerminalCa create(
      AlgorithmSuite suite, String subjectDn, Instant notBefore, Duration caValidity, Duration terminalValidity, SecureRandom random) {
    KeyPair keys = suite.signature().generateKeyPair(random);
    X509Certificate certificate = Certificates.issueCa(
        suite, keys, new Certificates.Profile(subjectDn, notBefore, notBefore.plus(caValidity), serial(random)));
    return new TerminalCa(suite, keys, certificate, terminalValidity, random);
  }

  /** An existing CA (key and certificate loaded, e.g. from PEM). */
  public static TerminalCa of(AlgorithmSuite suite, KeyPair keys, X509Certificate certificate, Duration terminalValidity, SecureRandom random) {
    return new TerminalCa(suite, keys, certificate, terminalValidity, random);
  }

  public AlgorithmSuite suite() {
    return suite;
  }

  /** The CA certificate: the trust anchor given to terminals of this suite. */
  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * Parses {@code csrDer} and checks that it is signed with this suite's algorithm, that the
   * signature verifies under the key it carries (the requester holds the private key), and that
   * the key is on the suite's curve. The CSR's subject is ignored: the acquirer names the terminal.
   *
   * @return the terminal's public key
   * @throws OnboardingException CSR_INVALID for anything else
   */
  public PublicKey verifyCsr(byte[] csrDer) {
    PKCS10CertificationRequest csr = parse(csrDer);
    String algorithm = new DefaultAlgorithmNameFinder().getAlgorithmName(csr.getSignatureAlgorithm());
    String expected = switch (suite) {
      case INTERNATIONAL -> "SHA256WITHECDSA";
      case NATIONAL -> "SM3WITHSM2";
    };
    if (!algorithm.equalsIgnoreCase(expected)) {
      throw new OnboardingException(Reason.CSR_INVALID, "CSR signed with " + algorithm + "; suite " + suite + " expects " + expected);
    }
    PublicKey key = publicKey(csr);
    boolean valid;
    try {
      valid = csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BC).build(key));
    } catch (OperatorCreationException | PKCSException | RuntimeException e) {
      throw new OnboardingException(Reason.CSR_INVALID, "CSR signature cannot be checked", e);
    }
    if (!valid) {
      throw new OnboardingException(Reason.CSR_INVALID, "CSR signature does not verify under its own public key");
    }
    return key;
  }

  /** Issues the certificate of terminal {@code id} of {@code merchant} for {@code key}, valid from {@code at}. */
  public X509Certificate issue(TerminalId id, MerchantId merchant, PublicKey key, Instant at) {
    Certificates.Profile profile = new Certificates.Profile(
        "CN=" + id.value() + ",OU=" + merchant.value(), at, at.plus(terminalValidity), serial(random));
    return Certificates.issueLeaf(suite, certificate, keys.getPrivate(), key, profile);
  }

  private PublicKey publicKey(PKCS10CertificationRequest csr) {
    PublicKey key;
    try {
      key = suite.signature().publicKeyFromDer(csr.getSubjectPublicKeyInfo().getEncoded());
    } catch (IOException | RuntimeException e) {
      throw new OnboardingException(Reason.CSR_INVALID, "CSR public key is not an EC key", e);
    }
    if (!(key instanceof org.bouncycastle.jce.interfaces.ECPublicKey ec) || ec.getParameters() == null
        || !ec.getParameters().getCurve().equals(ECNamedCurveTable.getByName(suite.curveName()).getCurve())) {
      throw new OnboardingException(Reason.CSR_INVALID, "CSR public key is not on " + suite.curveName());
    }
    return key;
  }

  private static PKCS10CertificationRequest parse(byte[] csrDer) {
    if (csrDer == null || csrDer.length == 0 || csrDer.length > CSR_BYTES_MAX) {
      throw new OnboardingException(Reason.CSR_INVALID, "CSR must be 1 to " + CSR_BYTES_MAX + " bytes of DER");
    }
    try {
      return new PKCS10CertificationRequest(csrDer);
    } catch (IOException | RuntimeException e) {
      throw new OnboardingException(Reason.CSR_INVALID, "CSR is not a PKCS#10 DER structure", e);
    }
  }

  private static BigInteger serial(SecureRandom random) {
    // 127 random bits, positive: RFC 5280 §4.1.2.2 wants unique serials of at most 20 octets.
    return new BigInteger(127, random).setBit(0);
  }
}
