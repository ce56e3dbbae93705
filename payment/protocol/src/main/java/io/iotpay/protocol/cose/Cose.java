package io.iotpay.protocol.cose;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.protocol.cose.CoseException.Reason;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;

/**
 * COSE (RFC 9052/9053) constants and the small helpers iotpay's envelope needs: algorithm ids per
 * suite, header labels, Sig_structure / Enc_structure, and the DER ↔ r‖s signature conversion. The
 * wire format is described in docs/envelope.md; keep the two in step.
 */
public final class Cose {
  /** CBOR tag of COSE_Sign1 (RFC 9052 §2). */
  public static final long TAG_SIGN1 = 18;
  /** CBOR tag of COSE_Encrypt0 (RFC 9052 §2). */
  public static final long TAG_ENCRYPT0 = 16;

  /** Header label alg (RFC 9052 §3.1). */
  public static final long LABEL_ALG = 1;
  /** Header label kid. */
  public static final long LABEL_KID = 4;
  /** Header label IV. */
  public static final long LABEL_IV = 5;
  /** Private-use label (below -65536, RFC 9052 §16.2): the sender's message counter. */
  public static final long LABEL_COUNTER = -65537;
  /** Private-use label: payload kind, 0 = plain, 1 = a COSE_Encrypt0. */
  public static final long LABEL_PAYLOAD_KIND = -65538;
  /** Private-use label: in an answer, the counter of the device message it answers. */
  public static final long LABEL_REPLY_TO = -65539;

  /** ES256: ECDSA P-256 with SHA-256 (RFC 9053 §2.1). */
  public static final long ALG_ES256 = -7;
  /** Private-use alg id: SM2 signature with SM3, default user id (no IANA value exists). */
  public static final long ALG_SM2_SM3 = -65537;
  /** A128GCM (RFC 9053 §4.1). */
  public static final long ALG_A128GCM = 1;
  /** Private-use alg id: SM4 in GCM mode, 128-bit tag (the construction of RFC 8998 §3.1). */
  public static final long ALG_SM4_GCM = -65538;

  /** Payload kind: the payload is the plaintext. */
  public static final int PAYLOAD_PLAIN = 0;
  /** Payload kind: the payload is a COSE_Encrypt0 (see {@link PayloadCipher}). */
  public static final int PAYLOAD_ENCRYPT0 = 1;

  /** Bytes of r and of s in a raw (COSE) signature: both curves have 256-bit orders. */
  public static final int SIGNATURE_HALF_BYTES = 32;

  private Cose() {}

  /**
   * The COSE signature alg id of {@code suite}.
   *
   * @param suite never null
   */
  public static long signatureAlg(AlgorithmSuite suite) {
    return switch (suite) {
      case INTERNATIONAL -> ALG_ES256;
      case NATIONAL -> ALG_SM2_SM3;
    };
  }

  /**
   * The COSE content-encryption alg id of {@code suite}.
   *
   * @param suite never null
   */
  public static long contentAlg(AlgorithmSuite suite) {
    return switch (suite) {
      case INTERNATIONAL -> ALG_A128GCM;
      case NATIONAL -> ALG_SM4_GCM;
    };
  }

  /** The suite whose signature algorithm {@code alg} is, or null for any other value (the caller refuses it). */
  public static AlgorithmSuite suiteOfSignatureAlg(long alg) {
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      if (signatureAlg(suite) == alg) {
        return suite;
      }
    }
    return null;
  }

  /**
   * Sig_structure for COSE_Sign1 (RFC 9052 §4.4).
   *
   * @param protectedBytes never null
   * @param externalAad never null (empty when there is none)
   * @param payload never null
   * @return the bytes to sign or verify; never null
   */
  public static byte[] toBeSigned(byte[] protectedBytes, byte[] externalAad, byte[] payload) {
    return new CborWriter().array(4).text("Signature1").bytes(protectedBytes).bytes(externalAad).bytes(payload).toByteArray();
  }

  /**
   * Enc_structure for COSE_Encrypt0 (RFC 9052 §5.3), the AEAD's additional data.
   *
   * @param protectedBytes never null
   * @param externalAad never null (empty when there is none)
   * @return never null
   */
  public static byte[] encryptionAad(byte[] protectedBytes, byte[] externalAad) {
    return new CborWriter().array(3).text("Encrypt0").bytes(protectedBytes).bytes(externalAad).toByteArray();
  }

  /** External AAD of a device → platform message: binds the direction. A fresh array; never null. */
  public static byte[] deviceMessageAad() {
    return "iotpay/device-message/v1".getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * External AAD of a platform answer: binds the direction and the device it is addressed to.
   *
   * @param deviceId the addressed device's id; never null
   * @return a fresh array; never null
   */
  public static byte[] answerAad(String deviceId) {
    return ("iotpay/platform-answer/v1/" + deviceId).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * DER (r, s) as JCA produces it → r‖s, 32 bytes each, as COSE carries it (RFC 9053 §2.1).
   *
   * @param suite never null
   * @param der a signature our own signer produced; never null
   * @return 64 bytes; never null
   * @throws IllegalStateException when {@code der} is not DER (r, s): our signer is broken
   */
  public static byte[] rawSignature(AlgorithmSuite suite, byte[] der) {
    BigInteger order = order(suite);
    try {
      BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(order, der);
      return PlainDSAEncoding.INSTANCE.encode(order, rs[0], rs[1]);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException(suite + ": signer produced a signature that is not DER (r, s)", e);
    }
  }

  /**
   * r‖s (as received) → DER for JCA verification.
   *
   * @param suite never null
   * @param raw never null
   * @return the DER encoding; never null
   * @throws CoseException BAD_SIGNATURE when {@code raw} is not 64 bytes or r or s is out of range
   */
  public static byte[] derSignature(AlgorithmSuite suite, byte[] raw) {
    if (raw.length != 2 * SIGNATURE_HALF_BYTES) {
      throw new CoseException(Reason.BAD_SIGNATURE, "signature is " + raw.length + " bytes, expected " + 2 * SIGNATURE_HALF_BYTES);
    }
    BigInteger order = order(suite);
    try {
      BigInteger[] rs = PlainDSAEncoding.INSTANCE.decode(order, raw);
      return StandardDSAEncoding.INSTANCE.encode(order, rs[0], rs[1]);
    } catch (IOException | IllegalArgumentException e) {
      throw new CoseException(Reason.BAD_SIGNATURE, "signature values r or s are out of range", e);
    }
  }

  private static BigInteger order(AlgorithmSuite suite) {
    return ECNamedCurveTable.getByName(suite.curveName()).getN();
  }
}
