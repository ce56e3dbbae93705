package io.iotpay.card.wallet;

import io.iotpay.card.chip.Curves;
import io.iotpay.card.chip.ModN;
import io.iotpay.card.chip.Sm3Digest;
import javacard.framework.JCSystem;
import javacard.framework.Util;
import javacard.security.CryptoException;
import javacard.security.ECPrivateKey;
import javacard.security.KeyAgreement;
import javacard.security.KeyBuilder;
import javacard.security.MessageDigest;

/**
 * Signature verification on the card for both suites, built like {@code chip.EcSigner}: scalar
 * multiplication through {@code KeyAgreement.ALG_EC_SVDP_DH_PLAIN_XY}, the rest in software
 * ({@link ModN} modulo n and modulo p):
 * <ul>
 *   <li>INTERNATIONAL: ECDSA P-256 / SHA-256 (SEC 1 section 4.1.4): w = s^-1, X = (e w) G + (r w) Q,
 *       valid when x(X) mod n = r;
 *   <li>NATIONAL: SM2 / SM3 (GB/T 32918.2-2016 section 7.1): t = r + s, X = s G + t Q, valid when
 *       (e + x(X)) mod n = r, e = SM3(Z_A || M) with the default user id.
 * </ul>
 * The two points are added in affine coordinates. When both have the same x (a doubling or the
 * point at infinity, probability about 2^-256 for an honest signature) the signature is refused:
 * refusing can never make a forgery pass. Q is checked to lie on the suite's curve first, so a
 * point of another curve (an invalid-curve input) is refused, never multiplied.
 */
public final class EcVerifier {

  private static final byte[] DEFAULT_ID = {0x00, (byte) 0x80,
      '1', '2', '3', '4', '5', '6', '7', '8', '1', '2', '3', '4', '5', '6', '7', '8'};

  /** Curve parameters read back from a key after {@link Curves#setDomain}: p, a, b, G, n. */
  private static final short C_P = 0;
  private static final short C_A = 32;
  private static final short C_B = 64;
  private static final short C_G = 96;
  private static final short C_N = 161;
  private static final short CURVE_LENGTH = 193;

  private static final short E = 0;
  private static final short R = 32;
  private static final short S = 64;
  private static final short U1 = 96;
  private static final short U2 = 128;
  private static final short P1 = 160;
  private static final short P2 = 225;
  private static final short T1 = 290;
  private static final short T2 = 322;
  private static final short WORK_LENGTH = 354;
  /** Longest DER signature: 30 len 02 21 00 r(32) 02 21 00 s(32). */
  public static final short SIGNATURE_MAX = 72;

  private final boolean sm2;
  private final byte[] curve;
  private final ModN modN;
  private final ModN modP;
  private final Sm3Digest sm3;
  private final MessageDigest sha256;
  private final KeyAgreement multiply;
  private final ECPrivateKey scalarKey;
  private final byte[] work;

  /**
   * Allocates the verifier; call once, at install.
   *
   * @param sm2 true for SM2 on sm2p256v1, false for ECDSA on P-256
   * @param sm3 the card's SM3, not null
   * @param sha256 the card's SHA-256 for ECDSA; null for SM2
   */
  public EcVerifier(boolean sm2, Sm3Digest sm3, MessageDigest sha256) {
    this.sm2 = sm2;
    this.sm3 = sm3;
    this.sha256 = sha256;
    scalarKey = (ECPrivateKey) KeyBuilder.buildKey(KeyBuilder.TYPE_EC_FP_PRIVATE,
        KeyBuilder.LENGTH_EC_FP_256, false);
    Curves.setDomain(scalarKey, sm2);
    curve = new byte[CURVE_LENGTH];
    scalarKey.getField(curve, C_P);
    scalarKey.getA(curve, C_A);
    scalarKey.getB(curve, C_B);
    scalarKey.getG(curve, C_G);
    scalarKey.getR(curve, C_N);
    modN = new ModN(curve, C_N);
    modP = new ModN(curve, C_P);
    multiply = KeyAgreement.getInstance(KeyAgreement.ALG_EC_SVDP_DH_PLAIN_XY, false);
    work = JCSystem.makeTransientByteArray(WORK_LENGTH, JCSystem.CLEAR_ON_DESELECT);
  }

  /**
   * Verifies a DER signature over {@code msg[off, off + len)} under the point
   * {@code 04 || X || Y} at {@code q[qOff]}.
   *
   * @return true only for a valid signature; false for a malformed or wrong one
   */
  public boolean verify(byte[] msg, short off, short len, byte[] sig, short sigOff, short sigLen,
      byte[] q, short qOff) {
    boolean valid = false;
    try {
      valid = check(msg, off, len, sig, sigOff, sigLen, q, qOff);
    } catch (CryptoException e) {
      // A scalar or point the card's EC engine refuses is an invalid signature, nothing else.
      valid = false;
    }
    Util.arrayFillNonAtomic(work, (short) 0, WORK_LENGTH, (byte) 0);
    return valid;
  }

  private boolean check(byte[] msg, short off, short len, byte[] sig, short sigOff, short sigLen,
      byte[] q, short qOff) {
    if (q[qOff] != 0x04 || !onCurve(q, (short) (qOff + 1)) || !decodeDer(sig, sigOff, sigLen)) {
      return false;
    }
    if (!inRange(R) || !inRange(S)) {
      return false;
    }
    digest(msg, off, len, q, qOff);
    modN.reduceOnce(work, E, (short) 0);
    if (sm2) {
      // u1 = s, u2 = t = r + s (non-zero)
      Util.arrayCopyNonAtomic(work, S, work, U1, ModN.LENGTH);
      modN.add(work, R, work, S, work, U2);
      if (ModN.isZero(work, U2)) {
        return false;
      }
    } else {
      modN.invert(work, S, work, T1);
      modN.multiply(work, E, work, T1, work, U1);
      modN.multiply(work, R, work, T1, work, U2);
    }
    if (ModN.isZero(work, U1) || ModN.isZero(work, U2)) {
      return false;
    }
    scalarMultiply(U1, curve, C_G, P1);
    scalarMultiply(U2, q, qOff, P2);
    if (!addX()) {
      return false;
    }
    // x(X) < p < 2n on both curves: one conditional subtraction reduces it.
    modN.reduceOnce(work, T1, (short) 0);
    if (sm2) {
      modN.add(work, E, work, T1, work, T1);
    }
    return ModN.compare(work, T1, work, R) == 0;
  }

  /** x, y &lt; p and y^2 = x^3 + a x + b (mod p) for X || Y at {@code off}. */
  private boolean onCurve(byte[] q, short off) {
    short y = (short) (off + ModN.LENGTH);
    if (modP.notReduced(q, off) || modP.notReduced(q, y)) {
      return false;
    }
    modP.multiply(q, y, q, y, work, T1);
    modP.multiply(q, off, q, off, work, T2);
    modP.add(work, T2, curve, C_A, work, T2);
    modP.multiply(work, T2, q, off, work, T2);
    modP.add(work, T2, curve, C_B, work, T2);
    return ModN.compare(work, T1, work, T2) == 0;
  }

  private boolean inRange(short at) {
    return !ModN.isZero(work, at) && !modN.notReduced(work, at);
  }

  /** work[E] = SHA-256(M), or SM3(Z_A || M) with Z_A from Q. */
  private void digest(byte[] msg, short off, short len, byte[] q, short qOff) {
    if (!sm2) {
      sha256.reset();
      sha256.doFinal(msg, off, len, work, E);
      return;
    }
    sm3.reset();
    sm3.update(DEFAULT_ID, (short) 0, (short) DEFAULT_ID.length);
    sm3.update(curve, C_A, (short) 64);
    sm3.update(curve, (short) (C_G + 1), (short) 64);
    sm3.doFinal(q, (short) (qOff + 1), (short) 64, work, E);
    sm3.reset();
    sm3.update(work, E, Sm3Digest.LENGTH);
    sm3.doFinal(msg, off, len, work, E);
  }

  /** work[out] = scalar · point (65 bytes 04 || X || Y). */
  private void scalarMultiply(short scalar, byte[] point, short pointOff, short out) {
    Curves.setDomain(scalarKey, sm2);
    scalarKey.setS(work, scalar, ModN.LENGTH);
    multiply.init(scalarKey);
    multiply.generateSecret(point, pointOff, Curves.POINT_LENGTH, work, out);
    scalarKey.clearKey();
  }

  /** work[T1] = x(P1 + P2), affine; false when x1 = x2 (doubling or infinity: refused). */
  private boolean addX() {
    short x1 = (short) (P1 + 1);
    short y1 = (short) (P1 + 1 + ModN.LENGTH);
    short x2 = (short) (P2 + 1);
    short y2 = (short) (P2 + 1 + ModN.LENGTH);
    modP.subtract(work, x2, work, x1, work, T1);
    if (ModN.isZero(work, T1)) {
      return false;
    }
    modP.invert(work, T1, work, T1);
    modP.subtract(work, y2, work, y1, work, T2);
    modP.multiply(work, T2, work, T1, work, T2);
    modP.multiply(work, T2, work, T2, work, T1);
    modP.subtract(work, T1, work, x1, work, T1);
    modP.subtract(work, T1, work, x2, work, T1);
    return true;
  }

  /** Reads DER SEQUENCE { INTEGER r, INTEGER s } into work[R], work[S]; false when malformed. */
  private boolean decodeDer(byte[] sig, short off, short len) {
    if (len < 8 || len > SIGNATURE_MAX || sig[off] != 0x30
        || (short) (sig[(short) (off + 1)] & 0xFF) != (short) (len - 2)) {
      return false;
    }
    short end = (short) (off + len);
    short p = decodeInteger(sig, (short) (off + 2), end, R);
    if (p < 0) {
      return false;
    }
    p = decodeInteger(sig, p, end, S);
    return p == end;
  }

  /** One INTEGER of at most 32 significant bytes, right-aligned at work[at]; -1 when malformed. */
  private short decodeInteger(byte[] in, short p, short end, short at) {
    if ((short) (end - p) < 3 || in[p] != 0x02) {
      return -1;
    }
    short length = (short) (in[(short) (p + 1)] & 0xFF);
    short start = (short) (p + 2);
    if (length < 1 || length > (short) (ModN.LENGTH + 1) || length > (short) (end - start)) {
      return -1;
    }
    if (in[start] < 0) {
      return -1; // negative
    }
    if (length == (short) (ModN.LENGTH + 1)) {
      if (in[start] != 0) {
        return -1;
      }
      start++;
      length--;
    }
    Util.arrayFillNonAtomic(work, at, ModN.LENGTH, (byte) 0);
    Util.arrayCopyNonAtomic(in, start, work, (short) (at + ModN.LENGTH - length), length);
    return (short) (start + length);
  }
}
