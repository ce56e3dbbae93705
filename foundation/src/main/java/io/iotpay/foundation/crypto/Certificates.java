package io.iotpay.foundation.crypto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.function.UnaryOperator;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * X.509 v3 certificates for both suites: a self-signed CA and leaves it signs, signed with the
 * suite's signature (ECDSA P-256/SHA-256 or SM2/SM3 with the default user id, as GM/T 0015
 * certificates are). Checking a leaf means: the CA is a CA (basic constraints cA, keyCertSign),
 * the leaf's issuer is the CA's subject, the leaf's signature verifies under the CA key, and both
 * are within their validity period at the instant asked about.
 */
public final class Certificates {
  private Certificates() {}

  /** Subject, validity and serial number of a certificate to issue. */
  public record Profile(String subjectDn, Instant notBefore, Instant notAfter, BigInteger serialNumber) {
    /** @throws CryptoException when a field is missing or the period is empty */
    public Profile {
      if (subjectDn == null || notBefore == null || notAfter == null || serialNumber == null) {
        throw new CryptoException("certificate profile: subject, notBefore, notAfter and serial are required");
      }
      if (!notAfter.isAfter(notBefore)) {
        throw new CryptoException("certificate profile: notAfter " + notAfter + " is not after notBefore " + notBefore);
      }
      if (serialNumber.signum() <= 0) {
        throw new CryptoException("certificate profile: serial number must be positive");
      }
    }
  }

  /**
   * A self-signed CA certificate (basic constraints cA=true, key usage keyCertSign|cRLSign).
   *
   * @throws CryptoException when the key does not belong to the suite or the DN is malformed
   */
  public static X509Certificate issueCa(AlgorithmSuite suite, KeyPair caKeys, Profile profile) {
    return issueCa(suite, caKeys.getPublic(), profile, contentSigner(suite, caKeys.getPrivate()));
  }

  /**
   * As {@link #issueCa(AlgorithmSuite, KeyPair, Profile)}, the self-signature made by {@code caSigner}
   * (e.g. a key custody's sign operation), so the CA's private key never reaches the caller.
   *
   * @param caSigner signs the to-be-signed certificate bytes with the CA key, returning DER (r, s)
   * @throws CryptoException when the DN is malformed or the signer fails
   */
  public static X509Certificate issueCa(
      AlgorithmSuite suite, PublicKey caPublic, Profile profile, UnaryOperator<byte[]> caSigner) {
    return issueCa(suite, caPublic, profile, contentSigner(suite, caSigner));
  }

  private static X509Certificate issueCa(AlgorithmSuite suite, PublicKey caPublic, Profile profile, ContentSigner signer) {
    X500Name subject = name(profile.subjectDn());
    X509v3CertificateBuilder builder = builder(subject, subject, caPublic, profile);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, new JcaX509ExtensionUtils().createSubjectKeyIdentifier(caPublic));
    } catch (CertIOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("certificate extension encoding failed", e);
    }
    return sign(suite, builder, signer);
  }

  /**
   * A leaf (end-entity) certificate for {@code subjectKey}, signed by the CA.
   *
   * @throws CryptoException when a key does not belong to the suite or the DN is malformed
   */
  public static X509Certificate issueLeaf(
      AlgorithmSuite suite, X509Certificate ca, PrivateKey caKey, PublicKey subjectKey, Profile profile) {
    return issueLeaf(suite, ca, contentSigner(suite, caKey), subjectKey, profile);
  }

  /**
   * As {@link #issueLeaf(AlgorithmSuite, X509Certificate, PrivateKey, PublicKey, Profile)}, signed by
   * {@code caSigner} (e.g. a key custody's sign operation) instead of a clear CA private key.
   *
   * @param caSigner signs the to-be-signed certificate bytes with the CA key, returning DER (r, s)
   * @throws CryptoException when the DN is malformed or the signer fails
   */
  public static X509Certificate issueLeaf(
      AlgorithmSuite suite, X509Certificate ca, UnaryOperator<byte[]> caSigner, PublicKey subjectKey, Profile profile) {
    return issueLeaf(suite, ca, contentSigner(suite, caSigner), subjectKey, profile);
  }

  private static X509Certificate issueLeaf(
      AlgorithmSuite suite, X509Certificate ca, ContentSigner caSigner, PublicKey subjectKey, Profile profile) {
    X500Name issuer = X500Name.getInstance(ca.getSubjectX500Principal().getEncoded());
    X509v3CertificateBuilder builder = builder(issuer, name(profile.subjectDn()), subjectKey, profile);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
      builder.addExtension(
          Extension.authorityKeyIdentifier, false, new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca));
    } catch (CertIOException | NoSuchAlgorithmException | CertificateException e) {
      throw new IllegalStateException("certificate extension encoding failed", e);
    }
    return sign(suite, builder, caSigner);
  }

  /**
   * Checks {@code leaf} against its CA at {@code at}.
   *
   * @throws CertificateCheckException saying which check failed (and for which certificate)
   */
  public static void check(AlgorithmSuite suite, X509Certificate leaf, X509Certificate ca, Instant at) {
    checkIssuedBy(suite, leaf, ca);
    checkValidity(leaf, ca, at);
  }

  /**
   * The chain part of {@link #check}: the CA is a CA and self-signed, the leaf's issuer is the CA's
   * subject and its signature verifies under the CA key, both with the suite's algorithm. Validity
   * periods are not looked at.
   *
   * @throws CertificateCheckException saying which check failed (and for which certificate)
   */
  public static void checkIssuedBy(AlgorithmSuite suite, X509Certificate leaf, X509Certificate ca) {
    refusingDamaged(() -> issuedBy(suite, leaf, ca));
  }

  private static void issuedBy(AlgorithmSuite suite, X509Certificate leaf, X509Certificate ca) {
    X509CertificateHolder caHolder = holder(ca, "CA");
    X509CertificateHolder leafHolder = holder(leaf, "leaf");
    checkIsCa(caHolder);
    checkSignature(suite, caHolder, caHolder, "CA (self-signature)");
    if (!leafHolder.getIssuer().equals(caHolder.getSubject())) {
      throw new CertificateCheckException(
          "leaf: issuer '" + leafHolder.getIssuer() + "' is not the CA subject '" + caHolder.getSubject() + "'");
    }
    checkSignature(suite, leafHolder, caHolder, "leaf");
  }

  /**
   * The validity part of {@link #check}: the CA and the leaf are both within their periods at {@code at}.
   *
   * @throws CertificateCheckException naming the certificate out of its period
   */
  public static void checkValidity(X509Certificate leaf, X509Certificate ca, Instant at) {
    refusingDamaged(() -> {
      checkValidity(holder(ca, "CA"), at, "CA");
      checkValidity(holder(leaf, "leaf"), at, "leaf");
    });
  }

  /**
   * Runs a check, turning BouncyCastle's unchecked refusals of a damaged certificate (a name that is
   * not valid UTF-8, a public key point off the curve, …) into {@link CertificateCheckException}.
   */
  private static void refusingDamaged(Runnable check) {
    try {
      check.run();
    } catch (CertificateCheckException e) {
      throw e;
    } catch (RuntimeException e) { // IllegalArgumentException, RuntimeOperatorException, ClassCastException, …
      throw new CertificateCheckException("damaged certificate: " + e.getClass().getSimpleName(), e);
    }
  }

  /**
   * Reads a DER X.509 certificate with BouncyCastle (which knows the SM2 curve as well as P-256).
   *
   * @throws CertificateCheckException when the bytes are not one DER certificate
   */
  public static X509Certificate parse(byte[] der) {
    try {
      return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509", Providers.BC)
          .generateCertificate(new java.io.ByteArrayInputStream(der));
    } catch (CertificateException | RuntimeException e) {
      throw new CertificateCheckException("certificate is not DER X.509 (" + e.getMessage() + ")", e);
    }
  }

  private static void checkIsCa(X509CertificateHolder ca) {
    BasicConstraints constraints = BasicConstraints.fromExtensions(ca.getExtensions());
    if (constraints == null || !constraints.isCA()) {
      throw new CertificateCheckException("CA '" + ca.getSubject() + "': basic constraints do not say cA=true");
    }
    KeyUsage usage = KeyUsage.fromExtensions(ca.getExtensions());
    if (usage != null && !usage.hasUsages(KeyUsage.keyCertSign)) {
      throw new CertificateCheckException("CA '" + ca.getSubject() + "': key usage lacks keyCertSign");
    }
  }

  private static void checkSignature(
      AlgorithmSuite suite, X509CertificateHolder subject, X509CertificateHolder issuer, String what) {
    String expected = jcaSignatureName(suite);
    try {
      boolean valid =
          subject.isSignatureValid(
              new JcaContentVerifierProviderBuilder().setProvider(Providers.BC).build(issuer));
      if (!valid) {
        throw new CertificateCheckException(what + " '" + subject.getSubject() + "': signature does not verify");
      }
    } catch (OperatorCreationException | org.bouncycastle.cert.CertException | CertificateException e) {
      throw new CertificateCheckException(
          what + " '" + subject.getSubject() + "': signature cannot be checked with " + expected + " (" + e.getMessage() + ")", e);
    }
    String used = new org.bouncycastle.operator.DefaultAlgorithmNameFinder().getAlgorithmName(subject.getSignatureAlgorithm());
    if (!used.equalsIgnoreCase(expected)) {
      throw new CertificateCheckException(what + " '" + subject.getSubject() + "': signed with " + used + ", suite " + suite + " expects " + expected);
    }
  }

  private static void checkValidity(X509CertificateHolder holder, Instant at, String what) {
    if (!holder.isValidOn(Date.from(at))) {
      throw new CertificateCheckException(
          what + " '" + holder.getSubject() + "': not valid at " + at + " (valid "
              + holder.getNotBefore().toInstant() + " to " + holder.getNotAfter().toInstant() + ")");
    }
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key, Profile profile) {
    return new JcaX509v3CertificateBuilder(
        issuer, profile.serialNumber(), Date.from(profile.notBefore()), Date.from(profile.notAfter()), subject, key);
  }

  private static ContentSigner contentSigner(AlgorithmSuite suite, PrivateKey key) {
    try {
      return new JcaContentSignerBuilder(jcaSignatureName(suite)).setProvider(Providers.BC).build(key);
    } catch (OperatorCreationException | IllegalArgumentException e) {
      throw new CryptoException(suite + ": key rejected for certificate signing (" + e.getMessage() + ")", e);
    }
  }

  /** A content signer that buffers the to-be-signed bytes (a TBSCertificate: small) and hands them to {@code derSigner}. */
  private static ContentSigner contentSigner(AlgorithmSuite suite, UnaryOperator<byte[]> derSigner) {
    AlgorithmIdentifier algorithm = new DefaultSignatureAlgorithmIdentifierFinder().find(jcaSignatureName(suite));
    ByteArrayOutputStream toBeSigned = new ByteArrayOutputStream();
    return new ContentSigner() {
      @Override
      public AlgorithmIdentifier getAlgorithmIdentifier() {
        return algorithm;
      }

      @Override
      public OutputStream getOutputStream() {
        return toBeSigned;
      }

      @Override
      public byte[] getSignature() {
        return derSigner.apply(toBeSigned.toByteArray());
      }
    };
  }

  private static X509Certificate sign(AlgorithmSuite suite, X509v3CertificateBuilder builder, ContentSigner signer) {
    try {
      return new JcaX509CertificateConverter().setProvider(Providers.BC).getCertificate(builder.build(signer));
    } catch (CertificateException | IllegalArgumentException e) {
      throw new CryptoException(suite + ": certificate signing failed (" + e.getMessage() + ")", e);
    }
  }

  /** JCA name of the certificate signature of each suite. */
  static String jcaSignatureName(AlgorithmSuite suite) {
    return switch (suite) {
      case INTERNATIONAL -> "SHA256WITHECDSA";
      case NATIONAL -> "SM3WITHSM2";
    };
  }

  private static X500Name name(String dn) {
    try {
      return new X500Name(dn);
    } catch (IllegalArgumentException e) {
      throw new CryptoException("certificate: malformed distinguished name '" + dn + "'", e);
    }
  }

  private static X509CertificateHolder holder(X509Certificate certificate, String what) {
    if (certificate == null) {
      throw new CertificateCheckException(what + ": certificate is missing");
    }
    try {
      return new X509CertificateHolder(certificate.getEncoded());
    } catch (IOException | CertificateEncodingException e) {
      throw new CertificateCheckException(what + ": certificate is not valid DER", e);
    }
  }
}
