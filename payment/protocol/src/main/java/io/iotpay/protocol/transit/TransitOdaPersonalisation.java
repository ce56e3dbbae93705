package io.iotpay.protocol.transit;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.oda.OdaIssuing;
import io.iotpay.foundation.crypto.oda.OdaPublicKey;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The transit card's ODA personalisation data, once (docs/card-apdus.md §11): every party that
 * personalises a transit card (the issuer, the bench, the gate tests) builds its STORE DATA blocks
 * here. Each block is {@code DGI (2) ‖ length (1) ‖ value}, to be sent under SCP02 before the last
 * block (9200):
 * <ul>
 *   <li>8201..8207 (INTERNATIONAL): the RSA key components modulus, exponent, P, Q, DP, DQ, Q⁻¹,
 *       the private ones (P … Q⁻¹) left-padded to half the modulus and encrypted under the session DEK;
 *       a NATIONAL card generates its SM2 key itself ({@link #GENERATE_ODA_KEY});
 *   <li>0102, 0103: SFI 1 record 2, the issuer certificate {@code 90} (0103 continues 0102: under a
 *       1984-bit CA the certificate does not fit one MACed block);
 *   <li>0104: what the GPO response carries: 8F, 92, 9F32, 9F46, 9F47, 9F48 as the suite has them.
 * </ul>
 */
public final class TransitOdaPersonalisation {
  /** The static data the ICC certificate covers: the AIP of a transit card with ODA (28 00). */
  public static final byte[] STATIC_DATA = {0x28, 0x00};
  /** ICC key size of INTERNATIONAL transit cards (docs/oda.md §1). */
  public static final int RSA_BITS = 1024;
  /** GENERATE ODA KEY {@code 80 E0 00 00 00}, before personalisation closes: the card's SM2 public key X ‖ Y. */
  public static final byte[] GENERATE_ODA_KEY = {(byte) 0x80, (byte) 0xE0, 0x00, 0x00, 0x00};
  /** Largest STORE DATA value under SCP02: Lc 255 less DGI (2), length (1) and C-MAC (8). */
  public static final int VALUE_BYTES_MAX = 255 - 3 - 8;
  private static final byte[] ICC_SERIAL = {0x00, 0x00, 0x07};

  private TransitOdaPersonalisation() {}

  /**
   * Every ODA block of one card: the RSA key made here (INTERNATIONAL) or the SM2 key the card
   * generated, then its certificate blocks.
   *
   * @param generated the card's SM2 public key from {@link #GENERATE_ODA_KEY}; null for RSA
   * @param encryptUnderDek encrypts a private RSA component under the session DEK (ECB)
   * @param certified the key the certificate names, given the card's: identity for a genuine card
   *     (the counterfeiting models of the tests and the demo name another)
   */
  public static List<byte[]> blocks(AlgorithmSuite suite, OdaPublicKey generated, UnaryOperator<byte[]> encryptUnderDek,
      OdaIssuing.IssuerCredentials issuer, byte[] pan, YearMonth iccExpiry, UnaryOperator<OdaPublicKey> certified,
      SecureRandom random) {
    List<byte[]> blocks = new ArrayList<>();
    OdaPublicKey held = generated;
    if (suite == AlgorithmSuite.INTERNATIONAL) {
      RSAPrivateCrtKey key = (RSAPrivateCrtKey) OdaIssuing.newCardKeyPair(suite, RSA_BITS, random).getPrivate();
      blocks.addAll(rsaKeyBlocks(key, encryptUnderDek));
      held = rsaPublicKey(key);
    }
    blocks.addAll(certificateBlocks(issuer, pan, iccExpiry, certified.apply(held), random));
    return blocks;
  }

  /**
   * DGIs 0102, 0103 (when needed) and 0104 for a card whose ODA key is {@code certifiedKey}.
   *
   * @param pan the card's 5A value (cn)
   * @throws io.iotpay.foundation.crypto.oda.OdaException for a key or PAN the issuer cannot certify
   */
  public static List<byte[]> certificateBlocks(OdaIssuing.IssuerCredentials issuer, byte[] pan, YearMonth iccExpiry,
      OdaPublicKey certifiedKey, SecureRandom random) {
    OdaIssuing.IccCredentials icc = OdaIssuing.certifyCard(issuer, pan, iccExpiry, ICC_SERIAL, certifiedKey,
        STATIC_DATA, random);
    List<byte[]> blocks = new ArrayList<>(3);
    byte[] record2 = tlv(0x90, issuer.certificate());
    int first = Math.min(record2.length, VALUE_BYTES_MAX);
    blocks.add(dgi(0x0102, Arrays.copyOf(record2, first)));
    if (first < record2.length) {
      blocks.add(dgi(0x0103, Arrays.copyOfRange(record2, first, record2.length)));
    }
    ByteArrayOutputStream gpo = new ByteArrayOutputStream(200);
    gpo.writeBytes(tlv(0x8F, new byte[] {(byte) issuer.ca().index()}));
    gpo.writeBytes(optional(0x92, issuer.remainder()));
    gpo.writeBytes(optional(0x9F32, issuer.exponent()));
    gpo.writeBytes(tlv(0x9F46, icc.certificate()));
    gpo.writeBytes(optional(0x9F47, icc.exponent()));
    gpo.writeBytes(optional(0x9F48, icc.remainder()));
    blocks.add(dgi(0x0104, gpo.toByteArray()));
    return blocks;
  }

  /**
   * DGIs 8201..8207 of an RSA key made by the issuer (its HSM in production).
   *
   * @param encryptUnderDek encrypts a private component under the session DEK (ECB)
   */
  public static List<byte[]> rsaKeyBlocks(RSAPrivateCrtKey key, UnaryOperator<byte[]> encryptUnderDek) {
    int half = (key.getModulus().bitLength() + 15) / 16;
    BigInteger[] parts = {key.getModulus(), key.getPublicExponent(), key.getPrimeP(), key.getPrimeQ(),
        key.getPrimeExponentP(), key.getPrimeExponentQ(), key.getCrtCoefficient()};
    List<byte[]> blocks = new ArrayList<>(parts.length);
    for (int i = 0; i < parts.length; i++) {
      byte[] value = i < 2 ? unsigned(parts[i]) : encryptUnderDek.apply(fixed(unsigned(parts[i]), half));
      blocks.add(dgi(0x8201 + i, value));
    }
    return blocks;
  }

  /** The public half of an RSA key, as the ICC certificate names it. */
  public static OdaPublicKey rsaPublicKey(RSAPrivateCrtKey key) {
    return new OdaPublicKey.Rsa(unsigned(key.getModulus()), unsigned(key.getPublicExponent()));
  }

  private static byte[] dgi(int dgi, byte[] value) {
    byte[] out = new byte[3 + value.length];
    out[0] = (byte) (dgi >> 8);
    out[1] = (byte) dgi;
    out[2] = (byte) value.length;
    System.arraycopy(value, 0, out, 3, value.length);
    return out;
  }

  private static byte[] optional(int tag, byte[] value) {
    return value.length == 0 ? new byte[0] : tlv(tag, value);
  }

  private static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 4);
    if (tag > 0xFF) {
      out.write(tag >> 8);
    }
    out.write(tag);
    if (value.length > 0x7F) {
      out.write(0x81);
    }
    out.write(value.length);
    out.writeBytes(value);
    return out.toByteArray();
  }

  private static byte[] fixed(byte[] value, int length) {
    byte[] out = new byte[length];
    System.arraycopy(value, 0, out, length - value.length, value.length);
    return out;
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] raw = value.toByteArray();
    return raw[0] == 0 && raw.length > 1 ? Arrays.copyOfRange(raw, 1, raw.length) : raw;
  }
}
