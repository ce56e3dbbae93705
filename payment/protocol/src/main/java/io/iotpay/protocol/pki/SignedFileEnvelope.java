package io.iotpay.protocol.pki;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.cose.CborReader;
import io.iotpay.protocol.cose.CborWriter;
import io.iotpay.protocol.cose.Cose;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.pki.SignedFileException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.function.UnaryOperator;

/**
 * The signature file ({@code <file>.sig}) next to every file between parties (docs/signed-files.md
 * §3): a tagged COSE_Sign1 (RFC 9052) in the shape of a COSE hash envelope
 * (draft-ietf-cose-hash-envelope): its payload is the suite's digest (SHA-256 or SM3) of the file's
 * exact bytes, the file itself stays detached and unchanged. The protected header carries the
 * signature alg, the sender's X.509 certificate (x5chain, RFC 9360), the payload hash alg and the
 * file's claims (kind, sender, receiver, business date, sequence, length) under private-use labels.
 */
public final class SignedFileEnvelope {
  /** Header label x5chain (RFC 9360 §2): here one DER certificate, the signer's. */
  public static final long LABEL_X5CHAIN = 33;
  /** Header label payload_hash_alg (draft-ietf-cose-hash-envelope §3). */
  public static final long LABEL_PAYLOAD_HASH_ALG = 258;
  /** Private-use labels (below -65536, RFC 9052 §16.2) of the file's claims. */
  public static final long LABEL_FILE_KIND = -65601;
  public static final long LABEL_SENDER = -65602;
  public static final long LABEL_RECEIVER = -65603;
  public static final long LABEL_BUSINESS_DATE = -65604;
  public static final long LABEL_SEQUENCE = -65605;
  public static final long LABEL_LENGTH = -65606;
  /** SHA-256 (COSE algorithms registry, RFC 9054 §2.1). */
  public static final long HASH_SHA256 = -16;
  /** Private-use hash alg id: SM3 (no IANA value exists). */
  public static final long HASH_SM3 = -65539;
  /** Longest signature file accepted: a certificate of at most 4 KiB and small fields. */
  public static final int BYTES_MAX = 8192;
  /** Pairs in the protected header: alg, x5chain, hash alg and six claims. */
  private static final int PROTECTED_PAIRS = 9;
  private static final int KIND_CHARS_MAX = 16;

  private SignedFileEnvelope() {}

  /**
   * A parsed (not yet verified) signature file.
   *
   * @param protectedBytes the protected header exactly as received (what was signed)
   * @param certificate the signer's DER certificate as received
   * @param claims the file's claims
   * @param digest the payload: the digest of the file's bytes, as signed
   * @param signature the raw r‖s signature as received
   */
  public record Parsed(byte[] protectedBytes, byte[] certificate, FileClaims claims, byte[] digest, byte[] signature) {
    /** The Sig_structure whose signature {@link #signature()} must be. */
    public byte[] toBeSigned() {
      return Cose.toBeSigned(protectedBytes, externalAad(), digest);
    }
  }

  /** External AAD of a signed file: binds the purpose, so no other iotpay signature can pass as one. */
  static byte[] externalAad() {
    return "iotpay/signed-file/v1".getBytes(StandardCharsets.US_ASCII);
  }

  /** The payload_hash_alg of {@code suite}'s digest. */
  static long hashAlg(AlgorithmSuite suite) {
    return switch (suite) {
      case INTERNATIONAL -> HASH_SHA256;
      case NATIONAL -> HASH_SM3;
    };
  }

  /**
   * Encodes and signs the signature file of a file with {@code claims} and {@code digest}.
   *
   * @param derSigner signs the Sig_structure with the sender's key, returning DER (r, s) (a custody's sign)
   */
  static byte[] sign(AlgorithmSuite suite, byte[] certificate, FileClaims claims, byte[] digest,
      UnaryOperator<byte[]> derSigner) {
    byte[] protectedBytes = new CborWriter().map(PROTECTED_PAIRS)
        .integer(Cose.LABEL_ALG).integer(Cose.signatureAlg(suite))
        .integer(LABEL_X5CHAIN).bytes(certificate)
        .integer(LABEL_PAYLOAD_HASH_ALG).integer(hashAlg(suite))
        .integer(LABEL_FILE_KIND).text(claims.kind().wireName())
        .integer(LABEL_SENDER).text(claims.sender().value())
        .integer(LABEL_RECEIVER).text(claims.receiver().value())
        .integer(LABEL_BUSINESS_DATE).text(claims.businessDate().toString())
        .integer(LABEL_SEQUENCE).integer(claims.sequence())
        .integer(LABEL_LENGTH).integer(claims.lengthBytes())
        .toByteArray();
    byte[] signature = Cose.rawSignature(suite, derSigner.apply(Cose.toBeSigned(protectedBytes, externalAad(), digest)));
    return new CborWriter().tag(Cose.TAG_SIGN1).array(4)
        .bytes(protectedBytes).map(0).bytes(digest).bytes(signature).toByteArray();
  }

  /**
   * Parses a signature file of {@code suite}. Verifies nothing.
   *
   * @throws SignedFileException MALFORMED naming the problem
   */
  public static Parsed parse(byte[] bytes, AlgorithmSuite suite) {
    if (bytes.length > BYTES_MAX) {
      throw malformed("signature file is " + bytes.length + " bytes, at most " + BYTES_MAX);
    }
    try {
      CborReader reader = new CborReader(bytes, "signed-file COSE_Sign1");
      if (reader.readTag() != Cose.TAG_SIGN1 || reader.readArrayHeader() != 4) {
        throw malformed("not a tagged COSE_Sign1 of 4 items");
      }
      byte[] protectedBytes = reader.readBytes();
      int unprotected = reader.readMapHeader();
      if (unprotected != 0) {
        throw malformed("unprotected header must be empty, has " + unprotected + " pairs");
      }
      byte[] digest = reader.readBytes();
      byte[] signature = reader.readBytes();
      reader.expectEnd();
      if (digest.length != suite.digest().lengthBytes()) {
        throw malformed("payload is " + digest.length + " bytes, not a " + suite.digest().displayName() + " digest");
      }
      return parseProtected(protectedBytes, suite, digest, signature);
    } catch (ProtocolException e) {
      if (e instanceof SignedFileException refused) {
        throw refused;
      }
      throw new SignedFileException(Reason.MALFORMED, e.getMessage(), e);
    }
  }

  private static Parsed parseProtected(byte[] protectedBytes, AlgorithmSuite suite, byte[] digest, byte[] signature) {
    CborReader header = new CborReader(protectedBytes, "signed-file protected header");
    if (header.readMapHeader() != PROTECTED_PAIRS) {
      throw malformed("protected header must have " + PROTECTED_PAIRS + " pairs");
    }
    // Labels in the one order the signer writes them: anything else (unknown, repeated, missing) is refused.
    expectLabel(header, Cose.LABEL_ALG);
    long alg = header.readInteger();
    if (alg != Cose.signatureAlg(suite)) {
      throw malformed("signature alg " + alg + " is not " + suite + "'s " + Cose.signatureAlg(suite));
    }
    expectLabel(header, LABEL_X5CHAIN);
    byte[] certificate = header.readBytes();
    expectLabel(header, LABEL_PAYLOAD_HASH_ALG);
    long hashAlg = header.readInteger();
    if (hashAlg != hashAlg(suite)) {
      throw malformed("payload hash alg " + hashAlg + " is not " + suite + "'s " + hashAlg(suite));
    }
    expectLabel(header, LABEL_FILE_KIND);
    String kind = header.readText();
    if (kind.length() > KIND_CHARS_MAX) {
      throw malformed("file kind is longer than " + KIND_CHARS_MAX + " characters");
    }
    FileKind fileKind = FileKind.ofWireName(kind);
    expectLabel(header, LABEL_SENDER);
    PartyId sender = PartyId.of(header.readText());
    expectLabel(header, LABEL_RECEIVER);
    PartyId receiver = PartyId.of(header.readText());
    expectLabel(header, LABEL_BUSINESS_DATE);
    LocalDate businessDate = date(header.readText());
    expectLabel(header, LABEL_SEQUENCE);
    long sequence = header.readInteger();
    expectLabel(header, LABEL_LENGTH);
    long length = header.readInteger();
    header.expectEnd();
    FileClaims claims = new FileClaims(fileKind, sender, receiver, businessDate, sequence, length);
    return new Parsed(protectedBytes, certificate, claims, digest, signature);
  }

  private static void expectLabel(CborReader header, long expected) {
    long label = header.readInteger();
    if (label != expected) {
      throw malformed("protected header has label " + label + " where " + expected + " belongs");
    }
  }

  private static LocalDate date(String text) {
    if (text.length() != 10) {
      throw malformed("business date '" + text + "' is not YYYY-MM-DD");
    }
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw malformed("business date '" + text + "' is not YYYY-MM-DD");
    }
  }

  private static SignedFileException malformed(String detail) {
    return new SignedFileException(Reason.MALFORMED, detail);
  }
}
