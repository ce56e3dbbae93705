package io.iotpay.foundation.crypto.oda;

import io.iotpay.foundation.Assert;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.YearMonth;
import java.util.Arrays;

/** Builds the INTERNATIONAL suite's certificates and signed dynamic data (EMV Book 2 tables 6, 14, 17). */
final class RsaIssuing {
  private RsaIssuing() {}

  static OdaIssuing.IssuerCredentials issuer(OdaIssuing.CaKeyPair ca, byte[] identifier, YearMonth expiry,
      byte[] serial, OdaPublicKey.Rsa key, PrivateKey issuerPrivate) {
    OdaPublicKey.Rsa caKey = (OdaPublicKey.Rsa) ca.publicKey().key();
    int nCa = caKey.length();
    int nI = key.length();
    if (nI > nCa) {
      throw new OdaException("issuer modulus of " + nI + " bytes exceeds the CA's " + nCa);
    }
    byte[] head = OdaBytes.concat(new byte[] {RsaOda.ISSUER_FORMAT}, identifier, OdaBytes.mmyy(expiry), serial,
        new byte[] {RsaOda.HASH_SHA1, RsaOda.PK_RSA, (byte) nI, (byte) key.exponent().length});
    Split split = split(key.modulus(), nCa - RsaOda.ISSUER_OVERHEAD);
    byte[] certificate = envelope((RSAPrivateKey) ca.privateKey(), OdaBytes.concat(head, split.field),
        OdaBytes.concat(split.remainder, key.exponent()));
    return new OdaIssuing.IssuerCredentials(ca.publicKey(), key, issuerPrivate, certificate, split.remainder, key.exponent());
  }

  static OdaIssuing.IccCredentials icc(OdaIssuing.IssuerCredentials issuer, OdaPublicKey.Rsa issuerKey, byte[] pan,
      YearMonth expiry, byte[] serial, OdaPublicKey iccKey, byte[] staticData) {
    if (!(iccKey instanceof OdaPublicKey.Rsa key) || key.length() > issuerKey.length()
        || key.length() < OdaLimits.RSA_MODULUS_BYTES_MIN) {
      throw new OdaException("ICC key must be RSA of " + OdaLimits.RSA_MODULUS_BYTES_MIN + " bytes up to the issuer's " + issuerKey.length());
    }
    int nI = issuerKey.length();
    byte[] head = OdaBytes.concat(new byte[] {RsaOda.ICC_FORMAT}, RsaOda.paddedPan(pan), OdaBytes.mmyy(expiry), serial,
        new byte[] {RsaOda.HASH_SHA1, RsaOda.PK_RSA, (byte) key.length(), (byte) key.exponent().length});
    Split split = split(key.modulus(), nI - RsaOda.ICC_OVERHEAD);
    byte[] certificate = envelope((RSAPrivateKey) issuer.privateKey(), OdaBytes.concat(head, split.field),
        OdaBytes.concat(split.remainder, key.exponent(), staticData));
    return new OdaIssuing.IccCredentials(certificate, split.remainder, key.exponent());
  }

  static byte[] dynamic(RSAPrivateKey key, byte[] iccDynamicData, byte[] terminalData) {
    int nIc = (key.getModulus().bitLength() + 7) / 8;
    int padLength = nIc - RsaOda.DYNAMIC_OVERHEAD - iccDynamicData.length;
    if (padLength < 0) {
      throw new OdaException("ICC dynamic data of " + iccDynamicData.length + " bytes does not fit a " + nIc + "-byte key");
    }
    byte[] pad = new byte[padLength];
    Arrays.fill(pad, RsaOda.PAD);
    byte[] body = OdaBytes.concat(new byte[] {RsaOda.DYNAMIC_FORMAT, RsaOda.HASH_SHA1, (byte) iccDynamicData.length},
        iccDynamicData, pad);
    return envelope(key, body, terminalData);
  }

  /**
   * 6A ‖ body ‖ SHA-1(body ‖ hashedAfter) ‖ BC, through the private key: the Book 2 signature with
   * message recovery (Annex A2.1). {@code body} fills the modulus less 22 bytes exactly.
   */
  private static byte[] envelope(RSAPrivateKey key, byte[] body, byte[] hashedAfter) {
    byte[] block = OdaBytes.concat(new byte[] {RsaOda.HEADER}, body, OdaBytes.sha1(body, hashedAfter),
        new byte[] {RsaOda.TRAILER});
    Assert.that(block.length == (key.getModulus().bitLength() + 7) / 8, "Book 2 block of {} bytes for a {}-bit key",
        block.length, key.getModulus().bitLength());
    return OdaIssuing.rsaPrivate(key, block);
  }

  private record Split(byte[] field, byte[] remainder) {}

  /** The key's leftmost digits in a field of {@code fieldLength} (BB-padded), and what does not fit. */
  private static Split split(byte[] modulus, int fieldLength) {
    if (modulus.length <= fieldLength) {
      byte[] field = new byte[fieldLength];
      Arrays.fill(field, RsaOda.PAD);
      System.arraycopy(modulus, 0, field, 0, modulus.length);
      return new Split(field, new byte[0]);
    }
    return new Split(OdaBytes.slice(modulus, 0, fieldLength), OdaBytes.slice(modulus, fieldLength, modulus.length));
  }
}
