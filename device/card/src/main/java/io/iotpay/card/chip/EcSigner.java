package io.iotpay.card.chip;

import javacard.framework.ISOException;
import javacard.framework.JCSystem;
import javacard.framework.Util;
import javacard.security.ECPrivateKey;
import javacard.security.ECPublicKey;
import javacard.security.KeyAgreement;
import javacard.security.KeyBuilder;
import javacard.security.MessageDigest;
import javacard.security.RandomData;

/**
 * The chip's key generation and signing for both suites, on the card's EC point arithmetic
 * (scalar multiplication through {@code KeyAgreement.ALG_EC_SVDP_DH_PLAIN_XY}) plus software
 * scalar arithmetic ({@link ModN}):
 * <ul>
 *   <li>INTERNATIONAL: ECDSA on P-256 with SHA-256 (FIPS 186-4 section 6.4, SEC 1 section 4.1.3);
 *   <li>NATIONAL: SM2 with SM3 (GB/T 32918.2-2016 section 6.1), the Java Card API having neither;
 *       Z_A uses the default user id {@code 1234567812345678}.
 * </ul>
 * Private scalars and nonces come from the card's {@code RandomData}. Java Card's own
 * {@code Signature.ALG_ECDSA_SHA_256} is deliberately not used: jCardSim draws its ECDSA nonce from
 * a fixed-seed generator re-created at every {@code init}, so two signatures share k and reveal
 * the key (see docs/chip-apdus.md). Signatures are DER SEQUENCE { INTEGER r, INTEGER s }.
 */
public final class EcSigner {

  /** ENTL || ID: the default SM2 user id {@code 1234567812345678} (GB/T 35276-2017), 128 bits. */
  private static final byte[] DEFAULT_ID = {0x00, (byte) 0x80,
      '1', '2', '3', '4', '5', '6', '7', '8', '1', '2', '3', '4', '5', '6', '7', '8'};
  /** Draws of a random scalar before giving up (each is rejected with probability below 2^-31). */
  private static final short ATTEMPTS_MAX = 8;

  private static final short E = 0;
  private static final short K = 32;
  private static final short R = 64;
  private static final short S = 96;
  private static final short D = 128;
  private static final short TMP = 160;
  private static final short POINT = 192;
  private static final short WORK_LENGTH = 264;

  private final boolean sm2;
  private final byte[] order;
  private final ModN modN;
  private final RandomData random;
  private final Sm3Digest sm3;
  private final MessageDigest sha256;
  private final KeyAgreement multiply;
  private final ECPrivateKey nonceKey;
  private final ECPrivateKey privateKey;
  /** SM2 only: Z_A (public) and (1 + d)^-1 mod n (secret), persistent, set at key generation. */
  private final byte[] za;
  private final byte[] inverse;
  private final byte[] work;

  /**
   * Allocates the signer; call once, at install.
   *
   * @param sm2 true for SM2 on sm2p256v1, false for ECDSA on P-256
   * @param random the card's random source, not null
   * @param sm3 the card's SM3 (used for SM2), not null
   * @param sha256 the card's SHA-256 (used for ECDSA); null for SM2
   * @param privateKey the device private key object with domain parameters set, not null
   */
  public EcSigner(boolean sm2, RandomData random, Sm3Digest sm3, MessageDigest sha256,
      ECPrivateKey privateKey) {
    this.sm2 = sm2;
    this.random = random;
    this.sm3 = sm3;
    this.sha256 = sha256;
    this.privateKey = privateKey;
    order = Curves.order(sm2);
    modN = new ModN(order, (short) 0);
    multiply = KeyAgreement.getInstance(KeyAgreement.ALG_EC_SVDP_DH_PLAIN_XY, false);
    nonceKey = (ECPrivateKey) KeyBuilder.buildKey(KeyBuilder.TYPE_EC_FP_PRIVATE,
        KeyBuilder.LENGTH_EC_FP_256, false);
    za = new byte[Sm3Digest.LENGTH];
    inverse = new byte[ModN.LENGTH];
    work = JCSystem.makeTransientByteArray(WORK_LENGTH, JCSystem.CLEAR_ON_DESELECT);
  }

  /**
   * Generates the device key pair on the chip: d random in [1, n - 2], Q = d·G.
   *
   * @param publicKey receives Q
   */
  public void generateKeyPair(ECPublicKey publicKey) {
    for (short attempt = 0; attempt < ATTEMPTS_MAX; attempt++) {
      if (!randomScalar(D)) {
        continue;
      }
      // SM2 needs 1 + d invertible, so d = n - 1 is refused (GB/T 32918.1 section 6.1).
      Util.arrayFillNonAtomic(work, TMP, ModN.LENGTH, (byte) 0);
      work[(short) (TMP + ModN.LENGTH - 1)] = 1;
      modN.add(work, D, work, TMP, work, TMP);
      if (ModN.isZero(work, TMP)) {
        continue;
      }
      privateKey.setS(work, D, ModN.LENGTH);
      multiply.init(privateKey);
      short length = multiply.generateSecret(sm2 ? Curves.SM2_G : Curves.P256_G, (short) 0,
          Curves.POINT_LENGTH, work, POINT);
      publicKey.setW(work, POINT, length);
      if (sm2) {
        modN.invert(work, TMP, work, TMP);
        Util.arrayCopy(work, TMP, inverse, (short) 0, ModN.LENGTH);
        computeZa();
      }
      clear();
      return;
    }
    clear();
    ISOException.throwIt(ChipSw.UNKNOWN);
  }

  /** Z_A = SM3(ENTL || ID || a || b || xG || yG || xA || yA), with Q in work[POINT]. */
  private void computeZa() {
    sm3.reset();
    sm3.update(DEFAULT_ID, (short) 0, (short) DEFAULT_ID.length);
    sm3.update(Curves.SM2_A, (short) 0, Curves.LENGTH);
    sm3.update(Curves.SM2_B, (short) 0, Curves.LENGTH);
    sm3.update(Curves.SM2_G, (short) 1, (short) (Curves.LENGTH * 2));
    sm3.doFinal(work, (short) (POINT + 1), (short) (Curves.LENGTH * 2), za, (short) 0);
  }

  /**
   * Signs {@code in[off, off + len)}: ECDSA-SHA-256 or SM2-SM3 by suite.
   *
   * @return the length of the DER signature written to {@code out} (at most 72)
   * @throws ISOException 6F00 if no usable nonce was found in {@link #ATTEMPTS_MAX} draws
   */
  public short sign(byte[] in, short off, short len, byte[] out, short outOff) {
    beginMessage();
    return signRest(in, off, len, out, outOff);
  }

  /** Starts a message signed in pieces: {@link #updateMessage} then {@link #signRest}. */
  public void beginMessage() {
    if (sm2) {
      sm3.reset();
      sm3.update(za, (short) 0, Sm3Digest.LENGTH);
    } else {
      sha256.reset();
    }
  }

  /** Hashes more bytes of the message begun with {@link #beginMessage}. */
  public void updateMessage(byte[] in, short off, short len) {
    if (sm2) {
      sm3.update(in, off, len);
    } else {
      sha256.update(in, off, len);
    }
  }

  /**
   * Hashes the last bytes of the message begun with {@link #beginMessage} and signs it.
   *
   * @return the length of the DER signature written to {@code out} (at most 72)
   */
  public short signRest(byte[] in, short off, short len, byte[] out, short outOff) {
    if (sm2) {
      sm3.doFinal(in, off, len, work, E);
    } else {
      sha256.doFinal(in, off, len, work, E);
    }
    // e < 2^256 < 2n on both curves: one conditional subtraction reduces it.
    modN.reduceOnce(work, E, (short) 0);
    for (short attempt = 0; attempt < ATTEMPTS_MAX; attempt++) {
      if (trySign()) {
        short written = encodeDer(out, outOff);
        clear();
        return written;
      }
    }
    clear();
    ISOException.throwIt(ChipSw.UNKNOWN);
    return 0;
  }

  /** One attempt with a fresh nonce k; false when the standard says to draw again. */
  private boolean trySign() {
    if (!randomScalar(K)) {
      return false;
    }
    // clearKey after the previous signature also cleared the domain parameters: set them again.
    Curves.setDomain(nonceKey, sm2);
    nonceKey.setS(work, K, ModN.LENGTH);
    multiply.init(nonceKey);
    multiply.generateSecret(sm2 ? Curves.SM2_G : Curves.P256_G, (short) 0, Curves.POINT_LENGTH,
        work, POINT);
    nonceKey.clearKey();
    // x1 < p < 2n on both curves: one conditional subtraction reduces it.
    Util.arrayCopyNonAtomic(work, (short) (POINT + 1), work, R, ModN.LENGTH);
    modN.reduceOnce(work, R, (short) 0);
    readPrivateScalar();
    boolean usable = sm2 ? sm2Scalars() : ecdsaScalars();
    Util.arrayFillNonAtomic(work, D, ModN.LENGTH, (byte) 0);
    return usable && !ModN.isZero(work, S);
  }

  /** ECDSA: r = x1 mod n (non-zero); s = k^-1 (e + r d) mod n. */
  private boolean ecdsaScalars() {
    if (ModN.isZero(work, R)) {
      return false;
    }
    modN.multiply(work, R, work, D, work, TMP);
    modN.add(work, E, work, TMP, work, TMP);
    modN.invert(work, K, work, K);
    modN.multiply(work, K, work, TMP, work, S);
    return true;
  }

  /** SM2: r = (e + x1) mod n, neither 0 nor n - k; s = (1 + d)^-1 (k - r d) mod n. */
  private boolean sm2Scalars() {
    modN.add(work, E, work, R, work, R);
    modN.add(work, R, work, K, work, TMP);
    if (ModN.isZero(work, R) || ModN.isZero(work, TMP)) {
      return false;
    }
    modN.multiply(work, R, work, D, work, TMP);
    modN.subtract(work, K, work, TMP, work, TMP);
    modN.multiply(inverse, (short) 0, work, TMP, work, S);
    return true;
  }

  /** Draws 32 random bytes into work[at]; true when they form a scalar in [1, n - 1]. */
  // generateData is deprecated in Java Card 3.0.5 but is what classic 2.2.x cards offer.
  @SuppressWarnings("deprecation")
  private boolean randomScalar(short at) {
    random.generateData(work, at, ModN.LENGTH);
    return !ModN.isZero(work, at) && !modN.notReduced(work, at);
  }

  /** Reads d right-aligned into work[D]. */
  private void readPrivateScalar() {
    short length = privateKey.getS(work, POINT);
    short copy = length > ModN.LENGTH ? ModN.LENGTH : length;
    Util.arrayFillNonAtomic(work, D, ModN.LENGTH, (byte) 0);
    Util.arrayCopyNonAtomic(work, (short) (POINT + length - copy), work,
        (short) (D + ModN.LENGTH - copy), copy);
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
    Util.arrayFillNonAtomic(work, (short) 0, WORK_LENGTH, (byte) 0);
  }
}
