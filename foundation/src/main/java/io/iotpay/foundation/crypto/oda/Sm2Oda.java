package io.iotpay.foundation.crypto.oda;

import static io.iotpay.foundation.crypto.oda.OdaBytes.slice;
import static io.iotpay.foundation.crypto.oda.OdaBytes.unsigned;
import static io.iotpay.foundation.crypto.oda.RsaOda.hex;
import static io.iotpay.foundation.crypto.oda.RsaOda.required;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.SignatureAlgorithm;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.Arrays;
import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The NATIONAL suite's formats: the same chain as EMV's with SM2 signatures (GB/T 32918.2, SM3,
 * default user id {@code 1234567812345678}, signature r ‖ s of 32 bytes each) appended to the
 * certificate instead of an RSA envelope. The layout follows PBOC 3.0 part 17's SM2 certificates
 * (format byte, identifier, expiry MMYY, serial, algorithm indicators 04 / 04, parameter
 * indicator, key length, 64-byte key) but is documented as ours in docs/oda.md: the byte layout
 * could not be confirmed from a published source.
 */
final class Sm2Oda {
  static final byte ISSUER_FORMAT = 0x12;
  static final byte ICC_FORMAT = 0x14;
  static final byte DYNAMIC_FORMAT = 0x15;
  /** Signature algorithm indicator: SM2 with SM3. */
  static final byte SIGNATURE_SM2 = 0x04;
  /** Public key algorithm indicator: SM2. */
  static final byte PK_SM2 = 0x04;
  /** Public key parameter indicator: the sm2p256v1 curve. */
  static final byte PARAMETERS_SM2P256V1 = 0x00;
  static final int KEY_BYTES = OdaPublicKey.Sm2.POINT_BYTES;
  static final int SIGNATURE_BYTES = 64;
  /** Issuer certificate: format, id(4), expiry(2), serial(3), sig alg, pk alg, params, key length, key, signature. */
  static final int ISSUER_CERT_BYTES = 1 + 4 + 2 + 3 + 4 + KEY_BYTES + SIGNATURE_BYTES;
  /** ICC certificate: format, PAN(10), expiry(2), serial(3), sig alg, pk alg, params, key length, key, signature. */
  static final int ICC_CERT_BYTES = 1 + 10 + 2 + 3 + 4 + KEY_BYTES + SIGNATURE_BYTES;
  /** Signed dynamic data: format, sig alg, dynamic data length, then the data and the signature. */
  static final int DYNAMIC_OVERHEAD = 3 + SIGNATURE_BYTES;

  private static final byte[] USER_ID = SignatureAlgorithm.DEFAULT_SM2_USER_ID.getBytes(StandardCharsets.US_ASCII);
  private static final X9ECParameters CURVE = GMNamedCurves.getByName("sm2p256v1");
  static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());

  private Sm2Oda() {}

  static OdaPublicKey.Sm2 issuerKey(CaPublicKey ca, CardOdaData card, CaRevocationList revocations, LocalDate today)
      throws Refusal {
    byte[] cert = required(card.issuerCertificate(), "90 issuer certificate");
    byte[] pan = required(card.pan(), "5A PAN");
    if (CardOdaData.orEmpty(card.issuerRemainder()).length + CardOdaData.orEmpty(card.issuerExponent()).length > 0) {
      throw new Refusal(OdaReason.ISSUER_KEY_BAD, "RSA-only 92 or 9F32 present on an SM2 card");
    }
    if (cert.length != ISSUER_CERT_BYTES) {
      throw new Refusal(OdaReason.ISSUER_CERT_LENGTH, cert.length + " bytes, expected " + ISSUER_CERT_BYTES);
    }
    if (cert[0] != ISSUER_FORMAT) {
      throw new Refusal(OdaReason.ISSUER_CERT_FORMAT, "format " + hex(cert[0]));
    }
    checkAlgorithms(cert, 10, OdaReason.ISSUER_CERT_ALGORITHM);
    int signedLength = ISSUER_CERT_BYTES - SIGNATURE_BYTES;
    if (!verify((OdaPublicKey.Sm2) ca.key(), slice(cert, 0, signedLength), slice(cert, signedLength, cert.length))) {
      throw new Refusal(OdaReason.ISSUER_CERT_SIGNATURE, "SM2 signature does not verify under the CA key");
    }
    String idDigits = OdaBytes.digits(cert, 1, 4);
    String panDigits = OdaBytes.digits(pan, 0, pan.length);
    if (idDigits == null || idDigits.length() < 3 || panDigits == null || !panDigits.startsWith(idDigits)) {
      throw new Refusal(OdaReason.ISSUER_ID_MISMATCH, "issuer identifier " + Hex.encode(slice(cert, 1, 5)) + " is not a PAN prefix");
    }
    if (!OdaBytes.notExpired(cert, 5, today)) {
      throw new Refusal(OdaReason.ISSUER_CERT_EXPIRED, "expiry MMYY " + Hex.encode(slice(cert, 5, 7)) + ", today " + today);
    }
    byte[] serial = slice(cert, 7, 10);
    if (revocations.isRevoked(ca.rid(), ca.index(), serial)) {
      throw new Refusal(OdaReason.ISSUER_CERT_REVOKED, "serial " + Hex.encode(serial) + " under CA index " + hex((byte) ca.index()));
    }
    return point(slice(cert, 14, 14 + KEY_BYTES), OdaReason.ISSUER_KEY_BAD);
  }

  static OdaPublicKey.Sm2 iccKey(OdaPublicKey.Sm2 issuerKey, CardOdaData card, LocalDate today) throws Refusal {
    byte[] cert = required(card.iccCertificate(), "9F46 ICC certificate");
    byte[] pan = required(card.pan(), "5A PAN");
    if (CardOdaData.orEmpty(card.iccRemainder()).length + CardOdaData.orEmpty(card.iccExponent()).length > 0) {
      throw new Refusal(OdaReason.ICC_KEY_BAD, "RSA-only 9F48 or 9F47 present on an SM2 card");
    }
    if (cert.length != ICC_CERT_BYTES) {
      throw new Refusal(OdaReason.ICC_CERT_LENGTH, cert.length + " bytes, expected " + ICC_CERT_BYTES);
    }
    if (cert[0] != ICC_FORMAT) {
      throw new Refusal(OdaReason.ICC_CERT_FORMAT, "format " + hex(cert[0]));
    }
    checkAlgorithms(cert, 16, OdaReason.ICC_CERT_ALGORITHM);
    int signedLength = ICC_CERT_BYTES - SIGNATURE_BYTES;
    byte[] message = OdaBytes.concat(slice(cert, 0, signedLength), CardOdaData.orEmpty(card.staticData()));
    if (!verify(issuerKey, message, slice(cert, signedLength, cert.length))) {
      throw new Refusal(OdaReason.STATIC_DATA_ALTERED, "SM2 signature does not verify under the issuer key");
    }
    if (!Arrays.equals(slice(cert, 1, 11), RsaOda.paddedPan(pan))) {
      throw new Refusal(OdaReason.ICC_PAN_MISMATCH, "certificate PAN differs from 5A");
    }
    if (!OdaBytes.notExpired(cert, 11, today)) {
      throw new Refusal(OdaReason.ICC_CERT_EXPIRED, "expiry MMYY " + Hex.encode(slice(cert, 11, 13)) + ", today " + today);
    }
    return point(slice(cert, 20, 20 + KEY_BYTES), OdaReason.ICC_KEY_BAD);
  }

  static byte[] dynamicData(OdaPublicKey.Sm2 iccKey, byte[] signed, byte[] terminalData) throws Refusal {
    required(signed, "9F4B signed dynamic application data");
    if (signed.length < DYNAMIC_OVERHEAD) {
      throw new Refusal(OdaReason.DYNAMIC_DATA_LENGTH, signed.length + " bytes, at least " + DYNAMIC_OVERHEAD);
    }
    int dynamicLength = unsigned(signed[2]);
    if (signed[0] != DYNAMIC_FORMAT || signed[1] != SIGNATURE_SM2 || signed.length != DYNAMIC_OVERHEAD + dynamicLength) {
      throw new Refusal(OdaReason.DYNAMIC_DATA_FORMAT, "format " + hex(signed[0]) + ", algorithm " + hex(signed[1])
          + ", " + signed.length + " bytes for dynamic data of " + dynamicLength);
    }
    int signedLength = signed.length - SIGNATURE_BYTES;
    if (!verify(iccKey, OdaBytes.concat(slice(signed, 0, signedLength), terminalData), slice(signed, signedLength, signed.length))) {
      throw new Refusal(OdaReason.DYNAMIC_SIGNATURE_INVALID, "SM2 signature does not verify under the ICC key");
    }
    return slice(signed, 3, 3 + dynamicLength);
  }

  private static void checkAlgorithms(byte[] cert, int at, OdaReason reason) throws Refusal {
    if (cert[at] != SIGNATURE_SM2 || cert[at + 1] != PK_SM2 || cert[at + 2] != PARAMETERS_SM2P256V1
        || unsigned(cert[at + 3]) != KEY_BYTES) {
      throw new Refusal(reason, "indicators " + Hex.encode(slice(cert, at, at + 4)) + ", expected 04040040");
    }
  }

  /** The point, refused unless it lies on sm2p256v1 (an invalid-curve key would leak nothing here, but is not a key). */
  private static OdaPublicKey.Sm2 point(byte[] xy, OdaReason reason) throws Refusal {
    try {
      DOMAIN.getCurve().decodePoint(OdaBytes.concat(new byte[] {0x04}, xy));
      return new OdaPublicKey.Sm2(xy);
    } catch (IllegalArgumentException e) {
      throw new Refusal(reason, "point not on sm2p256v1");
    }
  }

  /** SM2 verification of r ‖ s; false for any malformed key or signature. */
  static boolean verify(OdaPublicKey.Sm2 key, byte[] message, byte[] signature) {
    ECPoint q;
    try {
      q = DOMAIN.getCurve().decodePoint(OdaBytes.concat(new byte[] {0x04}, key.point()));
    } catch (IllegalArgumentException e) {
      return false;
    }
    SM2Signer signer = new SM2Signer(PlainDSAEncoding.INSTANCE, new SM3Digest());
    signer.init(false, new ParametersWithID(new ECPublicKeyParameters(q, DOMAIN), USER_ID));
    signer.update(message, 0, message.length);
    return signer.verifySignature(signature);
  }

  /** SM2 signature r ‖ s of {@code message} under private scalar {@code d}. */
  static byte[] sign(BigInteger d, byte[] message, SecureRandom random) {
    SM2Signer signer = new SM2Signer(PlainDSAEncoding.INSTANCE, new SM3Digest());
    signer.init(true, new ParametersWithID(new ParametersWithRandom(new ECPrivateKeyParameters(d, DOMAIN), random), USER_ID));
    signer.update(message, 0, message.length);
    try {
      return signer.generateSignature();
    } catch (org.bouncycastle.crypto.CryptoException e) {
      throw new OdaException("SM2 signing failed", e);
    }
  }

  /** X ‖ Y of d·G. */
  static byte[] publicPoint(BigInteger d) {
    ECPoint q = DOMAIN.getG().multiply(d).normalize();
    return OdaBytes.concat(fixed(q.getAffineXCoord().toBigInteger()), fixed(q.getAffineYCoord().toBigInteger()));
  }

  static byte[] fixed(BigInteger value) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[32];
    int copy = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
    return out;
  }
}
