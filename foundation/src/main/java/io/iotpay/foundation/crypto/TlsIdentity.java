package io.iotpay.foundation.crypto;

import io.iotpay.foundation.InvalidInputException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A TLS server's key and certificate chain read from the PEM files an operator has (what
 * {@code openssl req -x509 -newkey …} or a CA writes), held as an in-memory key store for the HTTP
 * servers. The key is ECDSA (P-256, P-384, P-521) or RSA, as the JDK's TLS needs: the crypto suites'
 * SM2 keys have no TLS in the JDK, and the key here protects the connection, not a payment.
 *
 * <p>{@link #readPem} refuses, with a message naming the file, a file that is missing or unreadable,
 * text that is not the expected PEM, an encrypted key, a key file open to group or others (like every
 * secret file of the project), a key that is not the certificate's, and a certificate outside its
 * validity. Nothing is written.
 */
public final class TlsIdentity {
  /** Largest certificate or key file read, bytes: a chain of a few certificates is a few KiB. */
  public static final int FILE_BYTES_MAX = Pem.TEXT_CHARS_MAX;
  /** Most certificates in the chain file (leaf first, then its intermediates). */
  public static final int CHAIN_CERTIFICATES_MAX = 10;
  private static final String ALIAS = "tls";
  /** id-ecPublicKey (RFC 5480): the algorithm of every EC key, SM2's included; the curve is a parameter. */
  private static final String EC_PUBLIC_KEY = "1.2.840.10045.2.1";
  private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private final List<X509Certificate> chain;
  private final KeyStore keyStore;
  private final String password;

  private TlsIdentity(List<X509Certificate> chain, PrivateKey key) {
    this.chain = List.copyOf(chain);
    byte[] secret = new byte[16];
    new SecureRandom().nextBytes(secret);
    this.password = HexFormat.of().formatHex(secret);
    try {
      keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(null, null);
      keyStore.setKeyEntry(ALIAS, key, password.toCharArray(), chain.toArray(X509Certificate[]::new));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot hold a PKCS#12 key store in memory", e);
    }
  }

  /**
   * Reads and checks a certificate chain file and its key file.
   *
   * @param certificateFile PEM {@code CERTIFICATE} blocks, the server's first; never null
   * @param keyFile PEM private key, PKCS#8 ({@code PRIVATE KEY}), SEC 1 ({@code EC PRIVATE KEY}) or
   *     PKCS#1 ({@code RSA PRIVATE KEY}), not encrypted, owner-only; never null
   * @param now the time the certificate must be valid at
   * @throws InvalidInputException naming the file and what is wrong with it
   */
  public static TlsIdentity readPem(Path certificateFile, Path keyFile, Instant now) {
    List<X509Certificate> chain = readChain(certificateFile);
    PrivateKey key = readKey(keyFile);
    X509Certificate leaf = chain.get(0);
    if (!matches(key, leaf.getPublicKey())) {
      throw new InvalidInputException("TLS key " + keyFile + " is not the key of the certificate in " + certificateFile
          + " (" + leaf.getSubjectX500Principal().getName() + ")");
    }
    try {
      leaf.checkValidity(Date.from(now));
    } catch (CertificateExpiredException | CertificateNotYetValidException e) {
      throw new InvalidInputException("TLS certificate " + certificateFile + " is valid from " + leaf.getNotBefore().toInstant()
          + " to " + leaf.getNotAfter().toInstant() + ", not now (" + now + ")");
    }
    return new TlsIdentity(chain, key);
  }

  /** The key and chain as an in-memory PKCS#12 store under {@link #password()}; the same object each time. */
  public KeyStore keyStore() {
    return keyStore;
  }

  /** The in-memory store's and key's password (random, made for this object); never log it. */
  public String password() {
    return password;
  }

  /** The server's certificate (the chain's first). */
  public X509Certificate certificate() {
    return chain.get(0);
  }

  @Override
  public String toString() {
    return "TlsIdentity[" + certificate().getSubjectX500Principal().getName() + ", chain=" + chain.size() + ", password=***]";
  }

  private static List<X509Certificate> readChain(Path file) {
    String what = "TLS certificate " + file;
    List<X509Certificate> chain = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(readBounded(file, what)))) {
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (!(object instanceof X509CertificateHolder holder)) {
          throw new InvalidInputException(what + " holds a " + object.getClass().getSimpleName() + " block, not only CERTIFICATE blocks");
        }
        if (chain.size() == CHAIN_CERTIFICATES_MAX) {
          throw new InvalidInputException(what + " holds more than " + CHAIN_CERTIFICATES_MAX + " certificates");
        }
        chain.add(new JcaX509CertificateConverter().getCertificate(holder));
      }
    } catch (IOException | GeneralSecurityException | IllegalArgumentException | IllegalStateException e) {
      throw new InvalidInputException(what + " is not PEM certificates (" + e.getMessage() + ")", e);
    }
    if (chain.isEmpty()) {
      throw new InvalidInputException(what + " holds no '-----BEGIN CERTIFICATE-----' block");
    }
    return chain;
  }

  private static PrivateKey readKey(Path file) {
    String what = "TLS key " + file;
    String text = readBounded(file, what);
    checkOwnerOnly(file, what);
    Object object;
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      object = parser.readObject();
    } catch (IOException | IllegalArgumentException | IllegalStateException e) {
      throw new InvalidInputException(what + " is not a PEM private key (" + e.getMessage() + ")", e);
    }
    PrivateKeyInfo info = switch (object) {
      case null -> throw new InvalidInputException(what + " holds no '-----BEGIN … PRIVATE KEY-----' block");
      case PrivateKeyInfo pkcs8 -> pkcs8;
      case PEMKeyPair pair -> pair.getPrivateKeyInfo();
      case PKCS8EncryptedPrivateKeyInfo encrypted -> throw encrypted(what);
      case PEMEncryptedKeyPair encrypted -> throw encrypted(what);
      default -> throw new InvalidInputException(what + " holds a " + object.getClass().getSimpleName() + " block, not a private key");
    };
    PrivateKey key;
    try {
      // The JDK's own key classes, which its TLS implementation signs with.
      key = new JcaPEMKeyConverter().getPrivateKey(info);
    } catch (IOException | RuntimeException e) {
      String algorithm = info.getPrivateKeyAlgorithm().getAlgorithm().getId();
      throw unusable(what, algorithm.equals(EC_PUBLIC_KEY) ? "an EC key whose curve is missing or not one the JDK knows"
          : "a key of algorithm " + algorithm, e);
    }
    if (!key.getAlgorithm().equals("EC") && !key.getAlgorithm().equals("RSA")) {
      throw unusable(what, "a " + key.getAlgorithm() + " key", null);
    }
    return key;
  }

  private static InvalidInputException encrypted(String what) {
    return new InvalidInputException(what + " is encrypted; give the key without a passphrase, owner-only "
        + "(openssl pkey -in KEY -out KEY.plain, then chmod 600)");
  }

  private static InvalidInputException unusable(String what, String kind, Exception cause) {
    return new InvalidInputException(what + " is " + kind + "; TLS here takes ECDSA (P-256, P-384, P-521) or RSA keys"
        + " (SM2 has no TLS in the JDK)", cause);
  }

  private static String readBounded(Path file, String what) {
    try {
      long size = Files.size(file);
      if (size > FILE_BYTES_MAX) {
        throw new InvalidInputException(what + " is " + size + " bytes, more than " + FILE_BYTES_MAX);
      }
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(what + " does not exist", e);
    } catch (AccessDeniedException e) {
      throw new InvalidInputException(what + " cannot be read (permission denied)", e);
    } catch (IOException e) {
      throw new InvalidInputException(what + " cannot be read (" + e.getMessage() + ")", e);
    }
  }

  private static void checkOwnerOnly(Path file, String what) {
    Set<PosixFilePermission> mode;
    try {
      mode = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException e) {
      throw new InvalidInputException(what + ": its permissions cannot be checked (not a POSIX file system)", e);
    } catch (IOException e) {
      throw new InvalidInputException(what + " cannot be read (" + e.getMessage() + ")", e);
    }
    Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
    open.addAll(mode);
    open.retainAll(OTHERS);
    if (!open.isEmpty()) {
      throw new InvalidInputException(what + " is open to group or others (" + PosixFilePermissions.toString(mode)
          + "); it must be owner-only: chmod 600 " + file);
    }
  }

  /** Whether {@code key} signs what {@code publicKey} verifies (a probe, as the platform's key files are checked). */
  private static boolean matches(PrivateKey key, PublicKey publicKey) {
    if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    byte[] probe = "iotpay TLS key check".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
