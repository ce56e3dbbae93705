package io.iotpay.protocol.pki;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.CertificateCheckException;
import io.iotpay.foundation.crypto.Certificates;
import io.iotpay.foundation.crypto.CryptoException;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.cose.Cose;
import io.iotpay.protocol.cose.CoseException;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.pki.SignedFileException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The receiver's check of a signed file (docs/signed-files.md §4), done before any byte of the file
 * is parsed, in this order: the signature file parses (UNSIGNED, MALFORMED); the certificate is a
 * party certificate issued by the scheme CA with this suite's key (UNTRUSTED_CERTIFICATE), valid,
 * with the CA, at the start of the file's business date (EXPIRED); the signature verifies under the
 * certificate's key (FORGED); the file has the signed length (TRUNCATED, FORGED when longer) and
 * digest (FORGED); the certificate's party is the claimed sender, or its role may relay the kind
 * (WRONG_SENDER); its role may send the kind (ROLE_MAY_NOT_SEND); the kind is the one expected
 * (WRONG_KIND) and the receiver this party (WRONG_RECEIVER); the sender's sequence was not accepted
 * yet (REPLAYED). The verifier keeps no state: a refusal changes nothing. Thread-safe.
 */
public final class SignedFileVerifier {
  private static final int BUFFER_BYTES = 1 << 16;

  private final AlgorithmSuite suite;
  private final X509Certificate schemeCa;
  private final PartyId self;

  /**
   * @param schemeCa the trust anchor: the scheme CA's certificate
   * @param self the receiving party: files addressed to another are refused
   */
  public SignedFileVerifier(AlgorithmSuite suite, X509Certificate schemeCa, PartyId self) {
    this.suite = suite;
    this.schemeCa = schemeCa;
    this.self = self;
  }

  /** The receiving party. */
  public PartyId self() {
    return self;
  }

  /**
   * Verifies {@code file} against its {@code <file>.sig}.
   *
   * @param expected the kind the receiver takes here
   * @param accepted what the receiver has already accepted (replays are refused)
   * @return the signed claims and signer; never null
   * @throws SignedFileException with the first reason that applies; nothing changes
   */
  public VerifiedFile verify(Path file, FileKind expected, AcceptedFiles accepted) {
    return verify(file, FileSigner.signaturePath(file), expected, accepted);
  }

  /** As {@link #verify(Path, FileKind, AcceptedFiles)}, the signature read from {@code signatureFile}. */
  public VerifiedFile verify(Path file, Path signatureFile, FileKind expected, AcceptedFiles accepted) {
    return verify(signatureFile, expected, accepted, (claims, signedDigest) -> checkContent(file, claims, signedDigest));
  }

  /**
   * A stream over {@code in} that hashes what is read with this suite's digest: the receiver reads
   * the file once, in a pass it makes anyway, and hands the stream to {@link #verify(Path,
   * DigestingInputStream, FileKind, AcceptedFiles)} instead of having the verifier read it again.
   * That pass must neither use nor keep what it read until the verdict.
   */
  public DigestingInputStream digesting(InputStream in) {
    return new DigestingInputStream(in, suite.digest().newBcDigest());
  }

  /**
   * As {@link #verify(Path, FileKind, AcceptedFiles)}, every check in the same order, the content
   * checked against what {@code content} hashed: its unread rest is read through it first, so the
   * length and digest are those of the whole file as the receiver read it.
   *
   * @param file the file {@code content} read (its signature is {@code <file>.sig})
   * @throws SignedFileException with the first reason that applies (TRUNCATED also when the rest of
   *     the stream cannot be read); nothing changes
   */
  public VerifiedFile verify(Path file, DigestingInputStream content, FileKind expected, AcceptedFiles accepted) {
    return verify(FileSigner.signaturePath(file), expected, accepted, (claims, signedDigest) -> {
      try {
        content.drainAndFinish();
      } catch (IOException | UncheckedIOException e) {
        throw new SignedFileException(Reason.TRUNCATED, "cannot read the file: " + e.getMessage(), e);
      }
      checkLengthAndDigest(content.lengthBytes(), content.finishedDigest(), claims, signedDigest);
    });
  }

  /** How the file's length and digest are checked against the signed ones. */
  private interface ContentCheck {
    void check(FileClaims claims, byte[] signedDigest);
  }

  private VerifiedFile verify(Path signatureFile, FileKind expected, AcceptedFiles accepted, ContentCheck content) {
    SignedFileEnvelope.Parsed envelope = SignedFileEnvelope.parse(readSignature(signatureFile), suite);
    FileClaims claims = envelope.claims();
    PartyCertificate signer = trustedCertificate(envelope.certificate(), claims);
    checkSignature(envelope, signer.publicKey());
    content.check(claims, envelope.digest());
    if (!signer.party().equals(claims.sender()) && !signer.role().mayRelay(claims.kind())) {
      throw new SignedFileException(Reason.WRONG_SENDER, "signed by " + signer.party() + " (" + signer.role()
          + ") but claims sender " + claims.sender());
    }
    if (signer.party().equals(claims.sender()) && !signer.role().maySend(claims.kind())) {
      throw new SignedFileException(Reason.ROLE_MAY_NOT_SEND, "a party of role " + signer.role() + " may not send "
          + claims.kind().wireName() + " files");
    }
    if (claims.kind() != expected) {
      throw new SignedFileException(Reason.WRONG_KIND, "a " + claims.kind().wireName() + " file where a "
          + expected.wireName() + " file is expected");
    }
    if (!claims.receiver().equals(self)) {
      throw new SignedFileException(Reason.WRONG_RECEIVER, "addressed to " + claims.receiver() + ", not to " + self);
    }
    if (accepted.contains(claims)) {
      throw SignedFileException.replayed(claims, claims.kind().wireName() + " " + claims.sender() + "#"
          + claims.sequence() + " of " + claims.businessDate() + " was already accepted");
    }
    return new VerifiedFile(claims, signer, envelope.digest());
  }

  private static byte[] readSignature(Path signatureFile) {
    try {
      long size = Files.size(signatureFile);
      if (size > SignedFileEnvelope.BYTES_MAX) {
        throw new SignedFileException(Reason.MALFORMED, "signature file is " + size + " bytes, at most "
            + SignedFileEnvelope.BYTES_MAX);
      }
      return Files.readAllBytes(signatureFile);
    } catch (NoSuchFileException e) {
      throw new SignedFileException(Reason.UNSIGNED, "no signature file " + signatureFile.getFileName());
    } catch (IOException e) {
      throw new SignedFileException(Reason.UNSIGNED, "cannot read signature file " + signatureFile.getFileName()
          + ": " + e.getMessage(), e);
    }
  }

  private PartyCertificate trustedCertificate(byte[] der, FileClaims claims) {
    PartyCertificate certificate;
    try {
      certificate = PartyCertificate.parse(der, suite);
      Certificates.checkIssuedBy(suite, certificate.certificate(), schemeCa);
    } catch (ProtocolException | CertificateCheckException e) {
      throw new SignedFileException(Reason.UNTRUSTED_CERTIFICATE, e.getMessage(), e);
    } catch (RuntimeException e) { // BouncyCastle's refusal of a damaged certificate part
      throw new SignedFileException(Reason.UNTRUSTED_CERTIFICATE, "certificate does not decode: " + e.getMessage(), e);
    }
    if (!onCurve(certificate.publicKey())) {
      throw new SignedFileException(Reason.UNTRUSTED_CERTIFICATE, "certified key is not on " + suite.curveName());
    }
    Instant at = claims.businessDate().atStartOfDay(ZoneOffset.UTC).toInstant();
    try {
      Certificates.checkValidity(certificate.certificate(), schemeCa, at);
    } catch (CertificateCheckException e) {
      throw new SignedFileException(Reason.EXPIRED, e.getMessage(), e);
    }
    return certificate;
  }

  private boolean onCurve(PublicKey key) {
    try {
      AlgorithmIdentifier algorithm = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getAlgorithm();
      return X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())
          && ECNamedCurveTable.getOID(suite.curveName()).equals(algorithm.getParameters());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private void checkSignature(SignedFileEnvelope.Parsed envelope, PublicKey key) {
    boolean valid;
    try {
      valid = suite.signature().verify(key, envelope.toBeSigned(), Cose.derSignature(suite, envelope.signature()));
    } catch (CoseException | CryptoException e) {
      valid = false;
    }
    if (!valid) {
      throw new SignedFileException(Reason.FORGED, "signature does not verify under the certificate's key");
    }
  }

  /** Streams the file through the digest: bytes are hashed, not parsed. */
  private void checkContent(Path file, FileClaims claims, byte[] signedDigest) {
    Digest digest = suite.digest().newBcDigest();
    byte[] buffer = new byte[BUFFER_BYTES];
    long length = 0;
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        length += n;
        if (length > claims.lengthBytes()) {
          throw new SignedFileException(Reason.FORGED, "file is longer than the signed " + claims.lengthBytes() + " bytes");
        }
        digest.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new SignedFileException(Reason.TRUNCATED, "cannot read the file: " + e.getMessage(), e);
    }
    byte[] actual = new byte[digest.getDigestSize()];
    digest.doFinal(actual, 0);
    checkLengthAndDigest(length, actual, claims, signedDigest);
  }

  private void checkLengthAndDigest(long length, byte[] actual, FileClaims claims, byte[] signedDigest) {
    if (length > claims.lengthBytes()) {
      throw new SignedFileException(Reason.FORGED, "file is longer than the signed " + claims.lengthBytes() + " bytes");
    }
    if (length < claims.lengthBytes()) {
      throw new SignedFileException(Reason.TRUNCATED, "file has " + length + " of the signed " + claims.lengthBytes() + " bytes");
    }
    if (!MessageDigest.isEqual(actual, signedDigest)) {
      throw new SignedFileException(Reason.FORGED, "file's " + suite.digest().displayName() + " is not the signed one");
    }
  }
}
