package io.iotpay.foundation.crypto.oda;

import io.iotpay.foundation.Assert;
import java.math.BigInteger;
import java.util.Arrays;

/** A public key as ODA carries it: an RSA modulus and exponent, or an SM2 point X‖Y. */
public sealed interface OdaPublicKey {

  /**
   * An EMV RSA public key.
   *
   * @param modulus big-endian, no leading zero, its top bit set (the length is N in Book 2)
   * @param exponent big-endian, 3 or 65537 for ICC and issuer keys (Book 2 section 5.1)
   */
  record Rsa(byte[] modulus, byte[] exponent) implements OdaPublicKey {
    public Rsa {
      Assert.that(modulus.length > 0 && modulus[0] != 0, "RSA modulus must not start with 00");
      Assert.that(exponent.length > 0, "RSA exponent must not be empty");
      modulus = modulus.clone();
      exponent = exponent.clone();
    }

    @Override
    public byte[] modulus() {
      return modulus.clone();
    }

    @Override
    public byte[] exponent() {
      return exponent.clone();
    }

    /** Modulus length in bytes (N_CA, N_I or N_IC in Book 2). */
    public int length() {
      return modulus.length;
    }

    BigInteger modulusValue() {
      return new BigInteger(1, modulus);
    }

    BigInteger exponentValue() {
      return new BigInteger(1, exponent);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Rsa that && Arrays.equals(modulus, that.modulus) && Arrays.equals(exponent, that.exponent);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(modulus) * 31 + Arrays.hashCode(exponent);
    }

    @Override
    public String toString() {
      return "Rsa[" + modulus.length * 8 + " bits]";
    }
  }

  /**
   * An SM2 public key on sm2p256v1.
   *
   * @param point X‖Y, 64 bytes (no 04 prefix)
   */
  record Sm2(byte[] point) implements OdaPublicKey {
    /** Length of X‖Y. */
    public static final int POINT_BYTES = 64;

    public Sm2 {
      Assert.that(point.length == POINT_BYTES, "SM2 point must be {} bytes, got {}", POINT_BYTES, point.length);
      point = point.clone();
    }

    @Override
    public byte[] point() {
      return point.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Sm2 that && Arrays.equals(point, that.point);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(point);
    }

    @Override
    public String toString() {
      return "Sm2[point]";
    }
  }
}
