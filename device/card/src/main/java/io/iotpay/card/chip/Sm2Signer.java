package io.iotpay.card.chip;

import javacard.framework.ISO7816;
import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Util;
import javacard.security.ECPrivateKey;
import javacard.security.ECPublicKey;
import javacard.security.KeyBuilder;
import javacard.security.KeyPair;

/**
 * SM2 signing (GB/T 32918.2-2016 section 6.1) on a card whose API has no SM2: SM3 in software
 * ({@link Sm3Digest}), the point k·G from the card's own EC key-pair generator on the sm2p256v1
 * domain (a fresh ephemeral pair per signature gives k and x1 together), and the scalar formulas
 * in {@link ModN}. Signatures are DER SEQUENCE { INTEGER r, INTEGER s }, as ECDSA's on Java Card.
 *
 * <p>The signer holds Z_A (the hash of the default user id, curve and public key) and
 * (1 + d)^-1 mod n, computed once when the key is generated; d itself is read from the private key
 * object only for the multiplication r·d and wiped afterwards.
 */
public final class Sm2Signer {

  /** ENTL || ID: the default user id {@code 1234567812345678} (GB/T 35276-2017 section 10), 128 bits. */
  private static final byte[] DEFAULT_ID = {0x00, (byte) 0x80,
      '1', '2', '3', '4', '5', '6', '7', '8', '1', '2', '3', '4', '5', '6', '7', '8'};
  /** Attempts at a usable k before giving up (each fails with probability about 2^-255). */
  private static final short ATTEMPTS_MAX = 4;

  private static final short E = 0;
  private static final short K = 32;
  private static final short R = 64;
  private static final short S = 96;
  private static final short D = 128;
  private static final short TMP = 160;
  private static final short POINT = 192;

  private final Sm3Digest sm3;
  private final ModN modN;
  private final KeyPair ephemeral;
  private final ECPrivateKey privateKey;
  /** Z_A, public; (1 + d)^-1 mod n, secret. Both persistent, written at key generation. */
  private final byte[] za;
  private final byte[] inverse;
  private final byte[] work;

  /**
   * Allocates the signer for one device key; call once, at install.
   *
   * @param sm3 the card's SM3, not null
   * @param privateKey the device's private key on sm2p256v1, not null
   */
  public Sm2Signer(Sm3Digest sm3, ECPrivateKey privateKey) {
    this.sm3 = sm3;
    this.privateKey = privateKey;
    modN = new ModN(Curves.SM2_N, (short) 0);
    ECPublicKey ephemeralPublic = (ECPublicKey) KeyBuilder.buildKey(KeyBuilder.TYPE_EC_FP_PUBLIC,
        KeyBuilder.LENGTH_EC_FP_256, false);
    ECPrivateKey ephemeralPrivate = (ECPrivateKey) KeyBuilder.buildKey(
        KeyBuilder.TYPE_EC_FP_PRIVATE, KeyBuilder.LENGTH_EC_FP_256, false);
    Curves.setDomain(ephemeralPublic, true);
    Curves.setDomain(ephemeralPrivate, true);
    ephemeral = new KeyPair(ephemeralPublic, ephemeralPrivate);
    za = new byte[Sm3Digest.LENGTH];
    inverse = new byte[ModN.LENGTH];
    work = JCSystem.makeTransientByteArray((short) 264, JCSystem.CLEAR_ON_DESELECT);
  }

  /**
   * Derives Z_A and (1 + d)^-1 after the device key pair was generated.
   *
   * @param publicKey the device's public key
   */
  public void keyGenerated(ECPublicKey publicKey) {
    sm3.reset();
    sm3.update(DEFAULT_ID, (short) 0, (short) DEFAULT_ID.length);
    sm3.update(Curves.SM2_A, (short) 0, Curves.LENGTH);
    sm3.update(Curves.SM2_B, (short) 0, Curves.LENGTH);
    sm3.update(Curves.SM2_G, (short) 1, (short) (Curves.LENGTH * 2));
    publicKey.getW(work, POINT);
    sm3.doFinal(work, (short) (POINT + 1), (short) (Curves.LENGTH * 2), za, (short) 0);
    readScalar(privateKey, D);
    Util.arrayFillNonAtomic(work, TMP, ModN.LENGTH, (byte) 0);
    work[(short) (TMP + ModN.LENGTH - 1)] = 1;
    modN.add(work, D, work, TMP, work, D);
    modN.invert(work, D, work, D, work, TMP);
    Util.arrayCopy(work, D, inverse, (short) 0, ModN.LENGTH);
    clear();
  }

  /** Starts a message: e will be SM3(Z_A || M). */
  public void begin() {
    sm3.reset();
    sm3.update(za, (short) 0, Sm3Digest.LENGTH);
  }

  /** Adds message bytes. */
  public void update(byte[] in, short off, short len) {
    sm3.update(in, off, len);
  }

  /**
   * Adds the last message bytes and signs.
   *
   * @return the length of the DER signature written to {@code out} (at most 72)
   * @throws ISOException 6F00 if no usable k was found in {@link #ATTEMPTS_MAX} attempts
   */
  public short sign(byte[] in, short off, short len, byte[] out, short outOff) {
    sm3.doFinal(in, off, len, work, E);
    modN.reduceOnce(work, E, (short) 0);
    for (short attempt = 0; attempt < ATTEMPTS_MAX; attempt++) {
      if (trySign()) {
        short written = encodeDer(out, outOff);
        clear();
        return written;
      }
    }
    clear();
    ISOException.throwIt(ISO7816.SW_UNKNOWN);
    return 0;
  }

  /** One attempt with a fresh k; false when r = 0, r + k = n or s = 0 (section 6.1 A5, A6). */
  private boolean trySign() {
    ephemeral.genKeyPair();
    readScalar((ECPrivateKey) ephemeral.getPrivate(), K);
    ((ECPublicKey) ephemeral.getPublic()).getW(work, POINT);
    ephemeral.getPrivate().clearKey();
    // r = (e + x1) mod n; x1 < p < 2n, so one conditional subtraction reduces it.
    Util.arrayCopyNonAtomic(work, (short) (POINT + 1), work, R, ModN.LENGTH);
    modN.reduceOnce(work, R, (short) 0);
    modN.add(work, E, work, R, work, R);
    modN.add(work, R, work, K, work, TMP);
    if (ModN.isZero(work, R) || ModN.isZero(work, TMP)) {
      return false;
    }
    // s = (1 + d)^-1 (k - r d) mod n
    readScalar(privateKey, D);
    modN.multiply(work, R, work, D, work, TMP);
    Util.arrayFillNonAtomic(work, D, ModN.LENGTH, (byte) 0);
    modN.subtract(work, K, work, TMP, work, TMP);
    modN.multiply(inverse, (short) 0, work, TMP, work, S);
    return !ModN.isZero(work, S);
  }

  /** Reads a private scalar right-aligned into 32 bytes of the work array at {@code at}. */
  private void readScalar(ECPrivateKey key, short at) {
    short length = key.getS(work, POINT);
    short copy = length > ModN.LENGTH ? ModN.LENGTH : length;
    Util.arrayFillNonAtomic(work, at, ModN.LENGTH, (byte) 0);
    Util.arrayCopyNonAtomic(work, (short) (POINT + length - copy), work,
        (short) (at + ModN.LENGTH - copy), copy);
    Util.arrayFillNonAtomic(work, POINT, length, (byte) 0);
  }

  private short encodeDer(byte[] out, short outOff) {
    short p = (short) (outOff + 2);
    p = encodeInteger(work, R, out, p);
    p = encodeInteger(work, S, out, p);
    out[outOff] = 0x30;
    out[(short) (outOff + 1)] = (byte) (p - outOff - 2);
    return (short) (p - outOff);
  }

  /** DER INTEGER of a 32-byte unsigned number: minimal length, a 00 before a set top bit. */
  static short encodeInteger(byte[] in, short inOff, byte[] out, short outOff) {
    short skip = 0;
    while (skip < (short) (ModN.LENGTH - 1) && in[(short) (inOff + skip)] == 0) {
      skip++;
    }
    short length = (short) (ModN.LENGTH - skip);
    boolean pad = in[(short) (inOff + skip)] < 0;
    out[outOff] = 0x02;
    out[(short) (outOff + 1)] = (byte) (pad ? length + 1 : length);
    short p = (short) (outOff + 2);
    if (pad) {
      out[p] = 0;
      p++;
    }
    Util.arrayCopyNonAtomic(in, (short) (inOff + skip), out, p, length);
    return (short) (p + length);
  }

  private void clear() {
    Util.arrayFillNonAtomic(work, (short) 0, (short) work.length, (byte) 0);
  }
}
