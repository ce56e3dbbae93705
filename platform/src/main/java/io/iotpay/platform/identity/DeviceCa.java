package io.iotpay.platform.identity;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Certificates;
import io.iotpay.foundation.crypto.CryptoException;
import io.iotpay.platform.identity.IdentityException.Reason;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * The platform's device CA of one suite: issues device certificates from PKCS#10 CSRs made by the
 * device's chip (ECDSA P-256/SHA-256, or SM2 with SM3 and the default user id, as GM/T 0015
 * certificate requests are signed). The CA key lives in memory here; production keeps it in an HSM
 * behind the same two methods.
 */
public final class DeviceCa {
  /** Largest CSR accepted, bytes: an EC P-256 CSR is about 250 bytes. */
  public static final int CSR_BYTES_MAX = 4096;

  private final AlgorithmSuite suite;
  private final KeyPair keys;
  private final X509Certificate certificate;
  private final Duration deviceValidity;
  private final SecureRandom random;

  private DeviceCa(AlgorithmSuite suite, KeyPair keys, X509Certificate certificate, Duration deviceValidity, SecureRandom random) {
    this.suite = suite;
    this.keys = keys;
    this.certificate = certificate;
    this.deviceValidity = deviceValidity;
    this.random = random;
  }

  /**
   * A new CA with a fresh key pair and a self-signed certificate valid from {@code notBefore} for
   * {@code caValidity}; device certificates it issues are valid for {@code deviceValidity}.
   */
  public static DeviceCa create(
      AlgorithmSuite suite, String subjectDn, Instant notBefore, Duration caValidity, Duration deviceValidity, SecureRandom random) {
    KeyPair keys = suite.signature().generateKeyPair(random);
    X509Certificate certificate = Certificates.issueCa(
        suite, keys, new Certificates.Profile(subjectDn, notBefore, notBefore.plus(caValidity), serial(random)));
    return new DeviceCa(suite, keys, certificate, deviceValidity, random);
  }

  /** An existing CA (key and certificate loaded, e.g. from PEM). */
  public static DeviceCa of(AlgorithmSuite suite, KeyPair keys, X509Certificate certificate, Duration deviceValidity, SecureRandom random) {
    return new DeviceCa(suite, keys, certificate, deviceValidity, random);
  }

  public AlgorithmSuite suite() {
    return suite;
  }

  /** The CA certificate (the trust anchor devices of this suite are given). */
  public X509Certificate certificate() {
    return certificate;
  }

  /** What a verified CSR says: the device id (its subject CN) and its public key. */
  public record CsrContent(DeviceId deviceId, PublicKey publicKey) {}

  /**
   * Parses {@code csrDer} and checks that its signature verifies under the key it carries with this
   * suite's algorithm (proof that the requester holds the private key), and that the key is on the
   * suite's curve.
   *
   * @throws IdentityException MALFORMED for bytes that are not a CSR or lack a CN, CSR_INVALID for a
   *     bad signature, another suite's algorithm or curve
   */
  public CsrContent verifyCsr(byte[] csrDer) {
    PKCS10CertificationRequest csr = parse(csrDer);
    String algorithm = new DefaultAlgorithmNameFinder().getAlgorithmName(csr.getSignatureAlgorithm());
    String expected = switch (suite) {
      case INTERNATIONAL -> "SHA256WITHECDSA";
      case NATIONAL -> "SM3WITHSM2";
    };
    if (!algorithm.equalsIgnoreCase(expected)) {
      throw new IdentityException(Reason.CSR_INVALID, "CSR signed with " + algorithm + ", suite " + suite + " expects " + expected);
    }
    PublicKey key = publicKey(csr);
    try {
      if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(Bc.PROVIDER).build(key))) {
        throw new IdentityException(Reason.CSR_INVALID, "CSR signature does not verify under its own public key");
      }
    } catch (OperatorCreationException | PKCSException e) {
      throw new IdentityException(Reason.CSR_INVALID, "CSR signature cannot be checked (" + e.getMessage() + ")", e);
    }
    return new CsrContent(deviceIdOf(csr.getSubject()), key);
  }

  /** Issues a device certificate with subject {@code CN=<deviceId>} for {@code key}, valid from {@code at}. */
  public X509Certificate issue(DeviceId deviceId, PublicKey key, Instant at) {
    Certificates.Profile profile = new Certificates.Profile("CN=" + deviceId.value(), at, at.plus(deviceValidity), serial(random));
    return Certificates.issueLeaf(suite, certificate, keys.getPrivate(), key, profile);
  }

  /** The device id in a certificate subject or CSR subject: its single CN. */
  static DeviceId deviceIdOf(X500Name subject) {
    RDN[] cns = subject.getRDNs(BCStyle.CN);
    if (cns.length != 1) {
      throw new IdentityException(Reason.MALFORMED, "subject '" + subject + "' must have exactly one CN (the device id), has " + cns.length);
    }
    try {
      return new DeviceId(IETFUtils.valueToString(cns[0].getFirst().getValue()));
    } catch (DeviceIdException e) {
      // Identity callers branch on the reason: a CN that is no device id is a malformed subject.
      throw new IdentityException(Reason.MALFORMED, e.getMessage(), e);
    }
  }

  private PublicKey publicKey(PKCS10CertificationRequest csr) {
    PublicKey key;
    try {
      key = suite.signature().publicKeyFromDer(csr.getSubjectPublicKeyInfo().getEncoded());
    } catch (IOException | CryptoException e) {
      throw new IdentityException(Reason.CSR_INVALID, "CSR public key is not an EC key", e);
    }
    if (!onSuiteCurve(suite, key)) {
      throw new IdentityException(Reason.CSR_INVALID, "CSR public key is not on " + suite.curveName());
    }
    return key;
  }

  /** True when {@code key} is an EC key on the suite's named curve. */
  static boolean onSuiteCurve(AlgorithmSuite suite, PublicKey key) {
    if (key instanceof ECPublicKey && !(key instanceof org.bouncycastle.jce.interfaces.ECPublicKey)) {
      // A JDK-parsed key (e.g. from a TLS or DTLS peer's certificate): read it again with BouncyCastle.
      try {
        key = KeyFactory.getInstance("EC", Bc.PROVIDER).generatePublic(new X509EncodedKeySpec(key.getEncoded()));
      } catch (GeneralSecurityException e) {
        return false;
      }
    }
    if (!(key instanceof org.bouncycastle.jce.interfaces.ECPublicKey ec) || ec.getParameters() == null) {
      return false;
    }
    return ec.getParameters().getCurve().equals(ECNamedCurveTable.getByName(suite.curveName()).getCurve());
  }

  private static PKCS10CertificationRequest parse(byte[] csrDer) {
    if (csrDer == null || csrDer.length == 0 || csrDer.length > CSR_BYTES_MAX) {
      throw new IdentityException(Reason.MALFORMED, "CSR must be 1 to " + CSR_BYTES_MAX + " bytes of DER");
    }
    try {
      return new PKCS10CertificationRequest(csrDer);
    } catch (IOException | RuntimeException e) {
      throw new IdentityException(Reason.MALFORMED, "CSR is not a PKCS#10 DER structure", e);
    }
  }

  private static BigInteger serial(SecureRandom random) {
    // 127 random bits, positive: RFC 5280 §4.1.2.2 wants unique, at most 20 octets.
    return new BigInteger(127, random).setBit(0);
  }
}
