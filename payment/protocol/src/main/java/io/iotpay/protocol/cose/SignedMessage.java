package io.iotpay.protocol.cose;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.protocol.cose.CoseException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * A parsed (not yet verified) COSE_Sign1 as iotpay uses it: the exact protected header bytes, the
 * fields read from them, the payload and the raw r‖s signature. The wire format is defined in
 * docs/envelope.md. Arrays are shared, not copied: treat them as read-only.
 *
 * @param protectedBytes the protected header exactly as received (it is what was signed); never null
 * @param alg the signature algorithm id (see {@link Cose#suiteOfSignatureAlg(long)})
 * @param kid the signer's key id (device id or platform key id), 1 to {@value #KID_BYTES_MAX} UTF-8 bytes; never null
 * @param counter the sender's message counter, ≥ 0
 * @param payloadKind {@link Cose#PAYLOAD_PLAIN} or {@link Cose#PAYLOAD_ENCRYPT0}
 * @param replyTo the answered counter in a platform answer; -1 in a device message
 * @param payload the payload (a COSE_Encrypt0 when {@code payloadKind} says so); never null
 * @param signature the raw r‖s signature as received (not yet length-checked); never null
 */
public record SignedMessage(
    byte[] protectedBytes,
    long alg,
    String kid,
    long counter,
    int payloadKind,
    long replyTo,
    byte[] payload,
    byte[] signature) {

  /** Most pairs a protected or unprotected header map may hold. */
  public static final int HEADER_PAIRS_MAX = 8;
  /** Longest kid (device id or platform key id), bytes. */
  public static final int KID_BYTES_MAX = 64;

  /**
   * Parses a tagged COSE_Sign1 with iotpay's protected header. Does not verify the signature.
   *
   * @param bytes the encoded message; never null
   * @return the parsed message; never null
   * @throws CoseException with reason MALFORMED naming the offset and the problem
   */
  public static SignedMessage parse(byte[] bytes) {
    CborReader reader = new CborReader(bytes, "COSE_Sign1");
    long tag = reader.readTag();
    if (tag != Cose.TAG_SIGN1) {
      throw malformed("tag " + tag + " is not COSE_Sign1 (18)");
    }
    if (reader.readArrayHeader() != 4) {
      throw malformed("COSE_Sign1 must be an array of 4 items");
    }
    byte[] protectedBytes = reader.readBytes();
    skipUnprotected(reader);
    byte[] payload = reader.readBytes();
    byte[] signature = reader.readBytes();
    reader.expectEnd();
    return parseProtected(protectedBytes, payload, signature);
  }

  private static void skipUnprotected(CborReader reader) {
    int pairs = reader.readMapHeader();
    if (pairs > HEADER_PAIRS_MAX) {
      throw malformed("unprotected header has " + pairs + " pairs, at most " + HEADER_PAIRS_MAX);
    }
    // Unprotected parameters carry nothing iotpay relies on; they are skipped, never trusted.
    for (int i = 0; i < 2 * pairs; i++) {
      reader.skip();
    }
  }

  private static SignedMessage parseProtected(byte[] protectedBytes, byte[] payload, byte[] signature) {
    CborReader header = new CborReader(protectedBytes, "protected header");
    int pairs = header.readMapHeader();
    if (pairs > HEADER_PAIRS_MAX) {
      throw malformed("protected header has " + pairs + " pairs, at most " + HEADER_PAIRS_MAX);
    }
    Long alg = null;
    String kid = null;
    Long counter = null;
    long kind = Cose.PAYLOAD_PLAIN;
    long replyTo = -1;
    for (int i = 0; i < pairs; i++) {
      long label = header.readInteger();
      if (label == Cose.LABEL_ALG) {
        alg = header.readInteger();
      } else if (label == Cose.LABEL_KID) {
        kid = kid(header.readBytes());
      } else if (label == Cose.LABEL_COUNTER) {
        counter = nonNegative(header.readInteger(), "counter");
      } else if (label == Cose.LABEL_PAYLOAD_KIND) {
        kind = header.readInteger();
      } else if (label == Cose.LABEL_REPLY_TO) {
        replyTo = nonNegative(header.readInteger(), "reply-to counter");
      } else {
        // Unknown protected parameters could change the meaning of the message: refuse them.
        throw malformed("protected header has unknown label " + label);
      }
    }
    header.expectEnd();
    if (alg == null || kid == null || counter == null) {
      throw malformed("protected header lacks alg (1), kid (4) or counter (" + Cose.LABEL_COUNTER + ")");
    }
    if (kind != Cose.PAYLOAD_PLAIN && kind != Cose.PAYLOAD_ENCRYPT0) {
      throw malformed("payload kind " + kind + " is neither 0 (plain) nor 1 (COSE_Encrypt0)");
    }
    return new SignedMessage(protectedBytes, alg, kid, counter, (int) kind, replyTo, payload, signature);
  }

  /**
   * Encodes and signs a COSE_Sign1 with an empty unprotected header.
   *
   * @param suite selects the alg id and the curve order; never null
   * @param kid the signer's key id; never null
   * @param counter the sender's message counter
   * @param payloadKind {@link Cose#PAYLOAD_PLAIN} or {@link Cose#PAYLOAD_ENCRYPT0}
   * @param replyTo the answered counter, or -1 to leave the reply-to label out
   * @param payload never null
   * @param externalAad bound into the Sig_structure, not sent; never null
   * @param derSigner signs the Sig_structure, returning DER (r, s); never null
   * @return the tagged COSE_Sign1; never null
   * @throws IllegalStateException when {@code derSigner} returns something that is not DER (r, s)
   */
  public static byte[] sign(
      AlgorithmSuite suite, String kid, long counter, int payloadKind, long replyTo,
      byte[] payload, byte[] externalAad, UnaryOperator<byte[]> derSigner) {
    byte[] protectedBytes = protectedHeader(suite, kid, counter, payloadKind, replyTo);
    byte[] toBeSigned = Cose.toBeSigned(protectedBytes, externalAad, payload);
    byte[] signature = Cose.rawSignature(suite, derSigner.apply(toBeSigned));
    return new CborWriter().tag(Cose.TAG_SIGN1).array(4)
        .bytes(protectedBytes).map(0).bytes(payload).bytes(signature).toByteArray();
  }

  /** Labels in deterministic order (RFC 8949 §4.2.1): 1, 4, then -65537, -65538, -65539. */
  private static byte[] protectedHeader(AlgorithmSuite suite, String kid, long counter, int payloadKind, long replyTo) {
    boolean hasReplyTo = replyTo >= 0;
    CborWriter writer = new CborWriter().map(hasReplyTo ? 5 : 4)
        .integer(Cose.LABEL_ALG).integer(Cose.signatureAlg(suite))
        .integer(Cose.LABEL_KID).bytes(kid.getBytes(StandardCharsets.UTF_8))
        .integer(Cose.LABEL_COUNTER).integer(counter)
        .integer(Cose.LABEL_PAYLOAD_KIND).integer(payloadKind);
    if (hasReplyTo) {
      writer.integer(Cose.LABEL_REPLY_TO).integer(replyTo);
    }
    return writer.toByteArray();
  }

  private static String kid(byte[] bytes) {
    if (bytes.length == 0 || bytes.length > KID_BYTES_MAX) {
      throw malformed("kid is " + bytes.length + " bytes, expected 1 to " + KID_BYTES_MAX);
    }
    String kid = new String(bytes, StandardCharsets.UTF_8);
    if (!Arrays.equals(kid.getBytes(StandardCharsets.UTF_8), bytes)) {
      throw malformed("kid is not UTF-8");
    }
    return kid;
  }

  private static long nonNegative(long value, String what) {
    if (value < 0) {
      throw malformed(what + " " + value + " is negative");
    }
    return value;
  }

  private static CoseException malformed(String detail) {
    return new CoseException(Reason.MALFORMED, detail);
  }
}
