package io.iotpay.foundation.crypto.oda;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.DigestAlgorithm;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A certification authority public key as a terminal holds it: registered application provider
 * identifier (RID, 5 bytes), CA public key index (tag 8F on the card), the key, and its checksum.
 * INTERNATIONAL keys are RSA with the SHA-1 checksum of EMV Book 2 section 11.2.2 (SHA-1 of RID ‖
 * index ‖ modulus ‖ exponent, as the schemes publish it in their CA key lists); NATIONAL keys are
 * SM2 with our checksum SM3(RID ‖ index ‖ X ‖ Y).
 */
public record CaPublicKey(AlgorithmSuite suite, byte[] rid, int index, OdaPublicKey key, byte[] checksum) {
  /** Length of a RID (ISO/IEC 7816-5). */
  public static final int RID_BYTES = 5;

  /**
   * @throws OdaException when the key does not fit the suite or Book 2's bounds, or the checksum
   *     is not the key's
   */
  public CaPublicKey {
    Assert.notNull(suite, "suite");
    Assert.notNull(key, "key");
    checkShape(suite, rid, index, key);
    byte[] computed = checksumOf(suite, rid, index, key);
    if (checksum == null || !MessageDigest.isEqual(computed, checksum)) {
      throw new OdaException("CA key " + Hex.encode(rid) + "/" + String.format("%02X", index)
          + ": checksum " + (checksum == null ? "none" : Hex.encode(checksum)) + " differs from the computed " + Hex.encode(computed));
    }
    rid = rid.clone();
    checksum = checksum.clone();
  }

  /**
   * A CA key, its checksum computed.
   *
   * @throws OdaException when the key does not fit the suite (RSA for INTERNATIONAL, SM2 for
   *     NATIONAL) or its modulus or exponent is outside Book 2's bounds
   */
  public static CaPublicKey of(AlgorithmSuite suite, byte[] rid, int index, OdaPublicKey key) {
    checkShape(suite, rid, index, key);
    return new CaPublicKey(suite, rid, index, key, checksumOf(suite, rid, index, key));
  }

  /**
   * A CA key from a published list, accepted only when its published checksum matches.
   *
   * @throws OdaException when the checksum differs or the key is malformed
   */
  public static CaPublicKey checked(AlgorithmSuite suite, byte[] rid, int index, OdaPublicKey key, byte[] checksum) {
    return new CaPublicKey(suite, rid, index, key, checksum);
  }

  @Override
  public byte[] rid() {
    return rid.clone();
  }

  @Override
  public byte[] checksum() {
    return checksum.clone();
  }

  private static void checkShape(AlgorithmSuite suite, byte[] rid, int index, OdaPublicKey key) {
    if (rid == null || rid.length != RID_BYTES) {
      throw new OdaException("RID must be " + RID_BYTES + " bytes");
    }
    if (index < 0 || index > 0xFF) {
      throw new OdaException("CA index " + index + " outside 00..FF");
    }
    switch (suite) {
      case INTERNATIONAL -> {
        if (!(key instanceof OdaPublicKey.Rsa rsa)) {
          throw new OdaException("INTERNATIONAL CA keys are RSA");
        }
        if (rsa.length() < OdaLimits.RSA_MODULUS_BYTES_MIN || rsa.length() > OdaLimits.RSA_MODULUS_BYTES_MAX
            || rsa.exponent().length > OdaLimits.RSA_EXPONENT_BYTES_MAX) {
          throw new OdaException("CA modulus of " + rsa.length() + " bytes or exponent outside Book 2's bounds");
        }
      }
      case NATIONAL -> {
        if (!(key instanceof OdaPublicKey.Sm2)) {
          throw new OdaException("NATIONAL CA keys are SM2");
        }
      }
    }
  }

  static byte[] checksumOf(AlgorithmSuite suite, byte[] rid, int index, OdaPublicKey key) {
    ByteArrayOutputStream input = new ByteArrayOutputStream();
    input.writeBytes(rid);
    input.write(index);
    return switch (key) {
      case OdaPublicKey.Rsa rsa -> {
        input.writeBytes(rsa.modulus());
        input.writeBytes(rsa.exponent());
        yield OdaBytes.sha1(input.toByteArray());
      }
      case OdaPublicKey.Sm2 sm2 -> {
        input.writeBytes(sm2.point());
        yield DigestAlgorithm.SM3.digest(input.toByteArray());
      }
    };
  }

  /** The trust store's lookup key. */
  KeyId id() {
    return new KeyId(suite, Hex.encode(rid), index);
  }

  record KeyId(AlgorithmSuite suite, String ridHex, int index) {}

  @Override
  public boolean equals(Object other) {
    return other instanceof CaPublicKey that && suite == that.suite && Arrays.equals(rid, that.rid)
        && index == that.index && key.equals(that.key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(rid) * 31 + index;
  }

  @Override
  public String toString() {
    return "CaPublicKey[" + suite + " " + Hex.encode(rid) + "/" + String.format("%02X", index) + " " + key + "]";
  }
}
