package io.iotpay.foundation.crypto.oda;

import static io.iotpay.foundation.crypto.oda.OdaBytes.slice;
import static io.iotpay.foundation.crypto.oda.OdaBytes.unsigned;

import io.iotpay.foundation.codec.Hex;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.Arrays;

/**
 * The INTERNATIONAL suite's formats, EMV Book 2 v4.4: recovery (section 5.1, the RSA public
 * operation), the issuer public key certificate (table 6, format 02), the ICC public key
 * certificate (table 14, format 04) and signed dynamic application data (table 17, format 05),
 * with every check of sections 5.3, 6.3 and 6.5 in the order the book gives them.
 */
final class RsaOda {
  static final byte HEADER = 0x6A;
  static final byte TRAILER = (byte) 0xBC;
  static final byte ISSUER_FORMAT = 0x02;
  static final byte ICC_FORMAT = 0x04;
  static final byte DYNAMIC_FORMAT = 0x05;
  static final byte HASH_SHA1 = 0x01;
  static final byte PK_RSA = 0x01;
  static final byte PAD = (byte) 0xBB;
  static final int HASH_BYTES = 20;
  /** Bytes of an issuer certificate that are not key: N_CA − 36 bytes hold the key (table 6). */
  static final int ISSUER_OVERHEAD = 36;
  /** Bytes of an ICC certificate that are not key: N_I − 42 (table 14). */
  static final int ICC_OVERHEAD = 42;
  /** Bytes of signed dynamic data that are not dynamic data or padding: N_IC − 25 (table 17). */
  static final int DYNAMIC_OVERHEAD = 25;
  static final byte[] EXPONENT_3 = {0x03};
  static final byte[] EXPONENT_F4 = {0x01, 0x00, 0x01};

  private RsaOda() {}

  /**
   * Book 2 section 5.1 recovery: X = S^e mod n, left-padded to the modulus length; null when S is
   * not exactly N bytes or not below n (so the arithmetic never sees a malformed operand).
   */
  static byte[] recover(OdaPublicKey.Rsa key, byte[] signed) {
    BigInteger modulus = key.modulusValue();
    BigInteger value = new BigInteger(1, signed);
    if (signed.length != key.length() || value.compareTo(modulus) >= 0) {
      return null;
    }
    byte[] raw = value.modPow(key.exponentValue(), modulus).toByteArray();
    byte[] out = new byte[key.length()];
    int copy = Math.min(raw.length, out.length);
    System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
    return out;
  }

  /** Section 5.3: the issuer public key from tags 90, 92 and 9F32. */
  static OdaPublicKey.Rsa issuerKey(CaPublicKey ca, CardOdaData card, CaRevocationList revocations, LocalDate today)
      throws Refusal {
    OdaPublicKey.Rsa caKey = (OdaPublicKey.Rsa) ca.key();
    byte[] pan = required(card.pan(), "5A PAN");
    byte[] exponent = required(card.issuerExponent(), "9F32 issuer exponent");
    byte[] remainder = CardOdaData.orEmpty(card.issuerRemainder());
    int nCa = caKey.length();
    byte[] x = recoverFramed(caKey, required(card.issuerCertificate(), "90 issuer certificate"),
        ISSUER_FORMAT, Part.ISSUER);
    if (x[11] != HASH_SHA1 || x[12] != PK_RSA) {
      throw new Refusal(OdaReason.ISSUER_CERT_ALGORITHM, "hash " + hex(x[11]) + ", key " + hex(x[12]));
    }
    int nI = unsigned(x[13]);
    checkKeyShape(nI, nCa, unsigned(x[14]), exponent, remainder, nCa - ISSUER_OVERHEAD, OdaReason.ISSUER_KEY_BAD);
    byte[] hash = OdaBytes.sha1(slice(x, 1, nCa - HASH_BYTES - 1), remainder, exponent);
    if (!MessageDigest.isEqual(hash, slice(x, nCa - HASH_BYTES - 1, nCa - 1))) {
      throw new Refusal(OdaReason.ISSUER_CERT_SIGNATURE, "hash result differs");
    }
    checkIssuerIdentifier(slice(x, 2, 6), pan);
    if (!OdaBytes.notExpired(x, 6, today)) {
      throw new Refusal(OdaReason.ISSUER_CERT_EXPIRED, "expiry MMYY " + Hex.encode(slice(x, 6, 8)) + ", today " + today);
    }
    byte[] serial = slice(x, 8, 11);
    if (revocations.isRevoked(ca.rid(), ca.index(), serial)) {
      throw new Refusal(OdaReason.ISSUER_CERT_REVOKED, "serial " + Hex.encode(serial) + " under CA index " + hex((byte) ca.index()));
    }
    return key(x, 15, nI, nCa - ISSUER_OVERHEAD, remainder, exponent, OdaReason.ISSUER_KEY_BAD);
  }

  /** Section 6.3: the ICC public key from tags 9F46, 9F48 and 9F47 and the static data. */
  static OdaPublicKey.Rsa iccKey(OdaPublicKey.Rsa issuerKey, CardOdaData card, LocalDate today) throws Refusal {
    byte[] exponent = required(card.iccExponent(), "9F47 ICC exponent");
    byte[] remainder = CardOdaData.orEmpty(card.iccRemainder());
    byte[] pan = required(card.pan(), "5A PAN");
    int nI = issuerKey.length();
    byte[] x = recoverFramed(issuerKey, required(card.iccCertificate(), "9F46 ICC certificate"), ICC_FORMAT, Part.ICC);
    if (x[17] != HASH_SHA1 || x[18] != PK_RSA) {
      throw new Refusal(OdaReason.ICC_CERT_ALGORITHM, "hash " + hex(x[17]) + ", key " + hex(x[18]));
    }
    int nIc = unsigned(x[19]);
    checkKeyShape(nIc, nI, unsigned(x[20]), exponent, remainder, nI - ICC_OVERHEAD, OdaReason.ICC_KEY_BAD);
    byte[] hash = OdaBytes.sha1(slice(x, 1, nI - HASH_BYTES - 1), remainder, exponent,
        CardOdaData.orEmpty(card.staticData()));
    if (!MessageDigest.isEqual(hash, slice(x, nI - HASH_BYTES - 1, nI - 1))) {
      throw new Refusal(OdaReason.STATIC_DATA_ALTERED, "hash result differs");
    }
    if (!Arrays.equals(slice(x, 2, 12), paddedPan(pan))) {
      throw new Refusal(OdaReason.ICC_PAN_MISMATCH, "certificate PAN differs from 5A");
    }
    if (!OdaBytes.notExpired(x, 12, today)) {
      throw new Refusal(OdaReason.ICC_CERT_EXPIRED, "expiry MMYY " + Hex.encode(slice(x, 12, 14)) + ", today " + today);
    }
    return key(x, 21, nIc, nI - ICC_OVERHEAD, remainder, exponent, OdaReason.ICC_KEY_BAD);
  }

  /** Section 6.5.2: checks tag 9F4B against the terminal's data; returns the ICC dynamic data. */
  static byte[] dynamicData(OdaPublicKey.Rsa iccKey, byte[] signed, byte[] terminalData) throws Refusal {
    int nIc = iccKey.length();
    byte[] x = recoverFramed(iccKey, required(signed, "9F4B signed dynamic application data"), DYNAMIC_FORMAT, Part.DYNAMIC);
    int dynamicLength = unsigned(x[3]);
    if (x[2] != HASH_SHA1 || dynamicLength > nIc - DYNAMIC_OVERHEAD) {
      throw new Refusal(OdaReason.DYNAMIC_DATA_FORMAT, "hash " + hex(x[2]) + ", dynamic data length " + dynamicLength);
    }
    byte[] hash = OdaBytes.sha1(slice(x, 1, nIc - HASH_BYTES - 1), terminalData);
    if (!MessageDigest.isEqual(hash, slice(x, nIc - HASH_BYTES - 1, nIc - 1))) {
      throw new Refusal(OdaReason.DYNAMIC_SIGNATURE_INVALID, "hash result differs");
    }
    return slice(x, 4, 4 + dynamicLength);
  }

  /** The three signed objects: which reasons their framing failures map to. */
  enum Part {
    ISSUER(OdaReason.ISSUER_CERT_LENGTH, OdaReason.ISSUER_CERT_TRAILER, OdaReason.ISSUER_CERT_HEADER, OdaReason.ISSUER_CERT_FORMAT),
    ICC(OdaReason.ICC_CERT_LENGTH, OdaReason.ICC_CERT_TRAILER, OdaReason.ICC_CERT_HEADER, OdaReason.ICC_CERT_FORMAT),
    // A signature under another key recovers to noise: whichever framing check catches it, the
    // reason is the one a counterfeit earns, with the step in the detail.
    DYNAMIC(OdaReason.DYNAMIC_SIGNATURE_INVALID, OdaReason.DYNAMIC_SIGNATURE_INVALID, OdaReason.DYNAMIC_SIGNATURE_INVALID,
        OdaReason.DYNAMIC_SIGNATURE_INVALID);

    final OdaReason length;
    final OdaReason trailer;
    final OdaReason header;
    final OdaReason format;

    Part(OdaReason length, OdaReason trailer, OdaReason header, OdaReason format) {
      this.length = length;
      this.trailer = trailer;
      this.header = header;
      this.format = format;
    }
  }

  /** Steps 1–4 of each section: length, recovery, trailer, header, format. */
  private static byte[] recoverFramed(OdaPublicKey.Rsa key, byte[] signed, byte format, Part part) throws Refusal {
    if (signed.length != key.length()) {
      OdaReason reason = part == Part.DYNAMIC ? OdaReason.DYNAMIC_DATA_LENGTH : part.length;
      throw new Refusal(reason, signed.length + " bytes, key modulus " + key.length());
    }
    byte[] x = recover(key, signed);
    if (x == null) {
      throw new Refusal(part.length, "value not below the modulus: does not recover");
    }
    if (x[x.length - 1] != TRAILER) {
      throw new Refusal(part.trailer, "trailer " + hex(x[x.length - 1]));
    }
    if (x[0] != HEADER) {
      throw new Refusal(part.header, "header " + hex(x[0]));
    }
    if (x[1] != format) {
      throw new Refusal(part.format, "format " + hex(x[1]) + ", expected " + hex(format));
    }
    return x;
  }

  /**
   * The lengths a certificate states must fit its signer and the data beside it: key length in
   * [minimum, signer's], exponent of the stated length and 3 or 65537, remainder present exactly
   * when the key overflows the certificate's key field and then of the missing length.
   */
  private static void checkKeyShape(int keyLength, int signerLength, int exponentLength, byte[] exponent,
      byte[] remainder, int fieldLength, OdaReason reason) throws Refusal {
    if (keyLength < OdaLimits.RSA_MODULUS_BYTES_MIN || keyLength > signerLength) {
      throw new Refusal(reason, "key length " + keyLength + " outside " + OdaLimits.RSA_MODULUS_BYTES_MIN + ".." + signerLength);
    }
    if (exponentLength != exponent.length || !(Arrays.equals(exponent, EXPONENT_3) || Arrays.equals(exponent, EXPONENT_F4))) {
      throw new Refusal(reason, "exponent of " + exponent.length + " bytes (stated " + exponentLength + "), not 3 or 65537");
    }
    int missing = Math.max(0, keyLength - fieldLength);
    if (remainder.length != missing) {
      throw new Refusal(reason, "remainder of " + remainder.length + " bytes, " + missing + " needed");
    }
  }

  private static OdaPublicKey.Rsa key(byte[] x, int fieldOffset, int keyLength, int fieldLength, byte[] remainder,
      byte[] exponent, OdaReason reason) throws Refusal {
    byte[] modulus = OdaBytes.concat(slice(x, fieldOffset, fieldOffset + Math.min(keyLength, fieldLength)), remainder);
    if (modulus[0] == 0 || (modulus[modulus.length - 1] & 1) == 0) {
      throw new Refusal(reason, "modulus has a leading zero byte or is even");
    }
    return new OdaPublicKey.Rsa(modulus, exponent);
  }

  /** Step 8 of section 5.3: 3 to 8 leftmost PAN digits, padded with F. */
  private static void checkIssuerIdentifier(byte[] identifier, byte[] pan) throws Refusal {
    String idDigits = OdaBytes.digits(identifier, 0, identifier.length);
    String panDigits = OdaBytes.digits(pan, 0, pan.length);
    if (idDigits == null || idDigits.length() < 3 || panDigits == null || !panDigits.startsWith(idDigits)) {
      throw new Refusal(OdaReason.ISSUER_ID_MISMATCH, "issuer identifier " + Hex.encode(identifier) + " is not a PAN prefix");
    }
  }

  /** The PAN as the ICC certificate holds it: 10 bytes, right-padded with F. */
  static byte[] paddedPan(byte[] pan) {
    byte[] out = new byte[OdaLimits.PAN_BYTES_MAX];
    Arrays.fill(out, OdaBytes.CN_PAD);
    System.arraycopy(pan, 0, out, 0, Math.min(pan.length, out.length));
    return out;
  }

  static byte[] required(byte[] value, String what) throws Refusal {
    if (value == null || value.length == 0) {
      throw new Refusal(OdaReason.DATA_MISSING, what + " absent");
    }
    return value;
  }

  static String hex(byte value) {
    return String.format("%02X", value & 0xFF);
  }
}
