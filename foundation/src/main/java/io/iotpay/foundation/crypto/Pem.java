package io.iotpay.foundation.crypto;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * PEM text of keys and certificates (RFC 7468): private keys as PKCS#8 {@code PRIVATE KEY}
 * (SEC 1 {@code EC PRIVATE KEY} is read too), public keys as {@code PUBLIC KEY}, certificates as
 * {@code CERTIFICATE}. Reading checks that the key's curve is the suite's.
 */
public final class Pem {
  /** PEM text longer than this is refused before parsing. */
  public static final int TEXT_CHARS_MAX = 64 * 1024;

  private Pem() {}

  /**
   * PEM text of a key or certificate: private keys as PKCS#8 {@code PRIVATE KEY}, public keys as
   * {@code PUBLIC KEY}, certificates as {@code CERTIFICATE}.
   */
  public static String write(Object keyOrCertificate) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      if (keyOrCertificate instanceof PrivateKey privateKey) {
        // PKCS#8 rather than SEC 1 so the curve OID sits in the algorithm identifier.
        writer.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(privateKey, null));
      } else {
        writer.writeObject(keyOrCertificate);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("PEM encoding failed", e);
    }
    return out.toString();
  }

  /**
   * The private key in {@code text}, on the suite's curve.
   *
   * @throws CryptoException when the text is not PEM, holds no private key, or the curve differs
   */
  public static PrivateKey readPrivateKey(String text, AlgorithmSuite suite) {
    Object object = readObject(text);
    PrivateKeyInfo info =
        switch (object) {
          case PrivateKeyInfo keyInfo -> keyInfo;
          case PEMKeyPair pair -> pair.getPrivateKeyInfo();
          default -> throw new CryptoException("PEM: expected a private key, found " + describe(object));
        };
    checkCurve(info.getPrivateKeyAlgorithm(), suite);
    try {
      return new JcaPEMKeyConverter().setProvider(Providers.BC).getPrivateKey(info);
    } catch (IOException e) {
      throw new CryptoException("PEM: private key cannot be decoded (" + e.getMessage() + ")", e);
    }
  }

  /**
   * The public key in {@code text} (a {@code PUBLIC KEY}, or the public half of a private key or
   * certificate), on the suite's curve.
   *
   * @throws CryptoException when the text is not PEM, holds no public key, or the curve differs
   */
  public static PublicKey readPublicKey(String text, AlgorithmSuite suite) {
    Object object = readObject(text);
    SubjectPublicKeyInfo info =
        switch (object) {
          case SubjectPublicKeyInfo keyInfo -> keyInfo;
          case PEMKeyPair pair -> pair.getPublicKeyInfo();
          case X509CertificateHolder certificate -> certificate.getSubjectPublicKeyInfo();
          default -> throw new CryptoException("PEM: expected a public key, found " + describe(object));
        };
    if (info == null) {
      throw new CryptoException("PEM: the key holds no public part");
    }
    checkCurve(info.getAlgorithm(), suite);
    try {
      return new JcaPEMKeyConverter().setProvider(Providers.BC).getPublicKey(info);
    } catch (IOException e) {
      throw new CryptoException("PEM: public key cannot be decoded (" + e.getMessage() + ")", e);
    }
  }

  /**
   * The certificate in {@code text}.
   *
   * @throws CryptoException when the text is not PEM or holds no certificate
   */
  public static X509Certificate readCertificate(String text) {
    Object object = readObject(text);
    if (!(object instanceof X509CertificateHolder holder)) {
      throw new CryptoException("PEM: expected a certificate, found " + describe(object));
    }
    try {
      return new JcaX509CertificateConverter().setProvider(Providers.BC).getCertificate(holder);
    } catch (CertificateException e) {
      throw new CryptoException("PEM: certificate cannot be decoded (" + e.getMessage() + ")", e);
    }
  }

  private static Object readObject(String text) {
    if (text == null || text.isBlank()) {
      throw new CryptoException("PEM: input is empty");
    }
    if (text.length() > TEXT_CHARS_MAX) {
      throw new CryptoException("PEM: input of " + text.length() + " characters exceeds " + TEXT_CHARS_MAX);
    }
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      Object object = parser.readObject();
      if (object == null) {
        throw new CryptoException("PEM: no '-----BEGIN ...-----' block found");
      }
      return object;
    } catch (IOException | IllegalArgumentException | IllegalStateException e) {
      throw new CryptoException("PEM: malformed block (" + e.getMessage() + ")", e);
    }
  }

  private static void checkCurve(AlgorithmIdentifier algorithm, AlgorithmSuite suite) {
    ASN1ObjectIdentifier expected = ECNamedCurveTable.getOID(suite.signature().curveName());
    Object parameters = algorithm.getParameters();
    if (!(parameters instanceof ASN1ObjectIdentifier curve)) {
      throw new CryptoException("PEM: key has no named curve (expected " + suite.signature().curveName() + ")");
    }
    if (!curve.equals(expected)) {
      String found = ECNamedCurveTable.getName(curve);
      throw new CryptoException(
          "PEM: key is on curve " + (found == null ? curve.getId() : found) + ", suite " + suite
              + " expects " + suite.signature().curveName());
    }
  }

  private static String describe(Object object) {
    return switch (object) {
      case PrivateKeyInfo ignored -> "a private key";
      case PEMKeyPair ignored -> "an EC private key";
      case SubjectPublicKeyInfo ignored -> "a public key";
      case X509CertificateHolder ignored -> "a certificate";
      default -> "a " + object.getClass().getSimpleName();
    };
  }
}
