package io.iotpay.terminal.pos;

import io.iotpay.foundation.codec.Bcd;
import io.iotpay.terminal.pos.PosConfig.RandomSelection;

/**
 * The kernel's decision rules as pure functions: random transaction selection (EMV Book 3 §10.6.2),
 * the CVM list's conditions and methods (Book 3 §10.5, Annex C3) and terminal action analysis
 * (Book 3 §10.7).
 */
final class RiskRules {
  /** Bound on the CVM list: 8 bytes of amounts and rules of 2 bytes in one record. */
  static final int CVM_LIST_BYTES_MAX = 252;

  private RiskRules() {}

  /**
   * Random selection below the floor limit: under the threshold the target percentage; from the
   * threshold to the floor limit the percentage rises linearly to the maximum target.
   *
   * @param draw a uniform random number 1..99
   */
  static boolean selectedRandomly(long amountMinor, long floorLimitMinor, RandomSelection rule, int draw) {
    if (amountMinor >= floorLimitMinor || rule.maxTargetPercent() == 0) {
      return false;
    }
    if (amountMinor < rule.thresholdMinor()) {
      return draw <= rule.targetPercent();
    }
    long span = floorLimitMinor - rule.thresholdMinor();
    long extra = (rule.maxTargetPercent() - rule.targetPercent()) * (amountMinor - rule.thresholdMinor()) / span;
    return draw <= rule.targetPercent() + extra;
  }

  /** CVM codes (Annex C3, b6..b1) this kernel knows. */
  enum Method {
    FAIL(0x00, false),
    PLAINTEXT_PIN_BY_ICC(0x01, true),
    ENCIPHERED_PIN_ONLINE(0x02, false),
    PLAINTEXT_PIN_BY_ICC_AND_SIGNATURE(0x03, true),
    ENCIPHERED_PIN_BY_ICC(0x04, true),
    ENCIPHERED_PIN_BY_ICC_AND_SIGNATURE(0x05, true),
    SIGNATURE(0x1E, false),
    NO_CVM_REQUIRED(0x1F, false);

    final int code;
    /** Offline PIN needs a contact reader and a PIN pad talking to the card: never supported here. */
    final boolean offlinePin;

    Method(int code, boolean offlinePin) {
      this.code = code;
      this.offlinePin = offlinePin;
    }

    static Method of(int code) {
      for (Method m : values()) {
        if (m.code == code) {
          return m;
        }
      }
      return null;
    }
  }

  /** Whether this terminal can perform {@code method}. */
  static boolean supports(PosConfig config, Method method) {
    return switch (method) {
      case FAIL, NO_CVM_REQUIRED -> true;
      case ENCIPHERED_PIN_ONLINE -> config.onlinePinSupported();
      case SIGNATURE -> config.signatureSupported();
      case PLAINTEXT_PIN_BY_ICC, PLAINTEXT_PIN_BY_ICC_AND_SIGNATURE, ENCIPHERED_PIN_BY_ICC,
          ENCIPHERED_PIN_BY_ICC_AND_SIGNATURE -> false;
    };
  }

  /**
   * Whether a CVM condition code holds for a purchase (no cash, no cashback) of {@code amountMinor}.
   * Amount conditions need the application currency (9F42) to be the transaction's.
   *
   * @param method the rule's method, null when unrecognised
   */
  static boolean conditionHolds(int condition, Method method, PosConfig config, long amountMinor, long x, long y,
      boolean sameCurrency) {
    return switch (condition) {
      case 0x00 -> true; // always
      case 0x01, 0x04, 0x05 -> false; // unattended cash, manual cash, purchase with cashback: not a purchase
      case 0x02 -> true; // not (unattended) cash and not cashback: a purchase is neither
      case 0x03 -> method != null && supports(config, method);
      case 0x06 -> sameCurrency && amountMinor < x;
      case 0x07 -> sameCurrency && amountMinor > x;
      case 0x08 -> sameCurrency && amountMinor < y;
      case 0x09 -> sameCurrency && amountMinor > y;
      default -> false; // RFU or proprietary: not satisfied
    };
  }

  /** The CVM list's amounts X and Y (the first 8 bytes, binary). */
  static long amountX(byte[] cvmList) {
    return unsigned32(cvmList, 0);
  }

  static long amountY(byte[] cvmList) {
    return unsigned32(cvmList, 4);
  }

  static void checkCvmList(byte[] cvmList) {
    if (cvmList.length < 10 || cvmList.length > CVM_LIST_BYTES_MAX || cvmList.length % 2 != 0) {
      throw new PosException("CVM list of " + cvmList.length + " bytes is not 8 + 2n (n >= 1) bytes up to "
          + CVM_LIST_BYTES_MAX);
    }
  }

  private static long unsigned32(byte[] b, int offset) {
    return ((b[offset] & 0xFFL) << 24) | ((b[offset + 1] & 0xFFL) << 16) | ((b[offset + 2] & 0xFFL) << 8)
        | (b[offset + 3] & 0xFFL);
  }

  /** What terminal action analysis asks the card for. */
  enum Request {
    AAC(0x00),
    TC(0x40),
    ARQC(0x80);

    final int p1;

    Request(int p1) {
      this.p1 = p1;
    }

    /** Whether a card answer of CID type {@code type} is allowed for this request (the card may only go down). */
    boolean allows(int type) {
      return rank(type) <= rank(p1);
    }

    private static int rank(int type) {
      return switch (type) {
        case 0x00 -> 0;
        case 0x80 -> 1;
        case 0x40 -> 2;
        default -> 3;
      };
    }
  }

  /** Issuer action codes absent from the card: denial all zeros, online and default all ones (Book 3 §10.7). */
  static final byte[] IAC_DENIAL_ABSENT = new byte[Tvr.LENGTH_BYTES];
  static final byte[] IAC_ONLINE_ABSENT = {-1, -1, -1, -1, -1};

  /** First terminal action analysis of an online-capable terminal. */
  static Request firstAction(Tvr tvr, PosConfig config, byte[] iacDenial, byte[] iacOnline) {
    if (tvr.matchesEither(config.tacDenial(), iacDenial)) {
      return Request.AAC;
    }
    return tvr.matchesEither(config.tacOnline(), iacOnline) ? Request.ARQC : Request.TC;
  }

  /** Default action analysis when the terminal could not go online. */
  static Request defaultAction(Tvr tvr, PosConfig config, byte[] iacDefault) {
    return tvr.matchesEither(config.tacDefault(), iacDefault) ? Request.AAC : Request.TC;
  }

  static boolean amountFits(long amountMinor) {
    return amountMinor > 0 && amountMinor <= Bcd.AMOUNT_MINOR_MAX;
  }
}
