package io.iotpay.terminal.wallet;

import java.util.Map;

/**
 * The status words of the wallet and PSAM applets as data (docs/wallet-apdus.md §6): what the POS
 * shows or logs for each. Unknown words read as "unknown status".
 */
public final class WalletStatus {
  public static final int OK = 0x9000;
  public static final int CERTIFICATE_INVALID = 0x6982;
  public static final int CONDITIONS_NOT_SATISFIED = 0x6985;
  public static final int SIGNATURE_INVALID = 0x6988;
  public static final int WRONG_DATA = 0x6A80;
  public static final int RECORD_NOT_FOUND = 0x6A83;
  public static final int REFERENCED_DATA_NOT_FOUND = 0x6A88;
  public static final int INSUFFICIENT_BALANCE = 0x9401;
  public static final int LOAD_NUMBER_WRONG = 0x9403;
  public static final int RATING_NOT_NEWER = 0x9404;
  public static final int RATING_OTHER_CARD = 0x9405;
  public static final int PURCHASE_LIMIT = 0x9410;
  public static final int BALANCE_CAP = 0x9411;
  public static final int OFFLINE_COUNT_EXHAUSTED = 0x9412;
  public static final int PENDING_EXISTS = 0x9413;
  public static final int ALLOWANCE_EXCEEDED = 0x9414;
  public static final int CARD_BLOCKED = 0x9420;

  private static final Map<Integer, String> REASONS = Map.ofEntries(
      Map.entry(0x9000, "success"),
      Map.entry(0x6700, "wrong length"),
      Map.entry(0x6982, "certificate not signed by a trusted key"),
      Map.entry(0x6985, "conditions of use not satisfied"),
      Map.entry(0x6986, "command not allowed in this life cycle"),
      Map.entry(0x6988, "signature invalid"),
      Map.entry(0x6A80, "incorrect data"),
      Map.entry(0x6A83, "log record not found"),
      Map.entry(0x6A86, "incorrect P1 or P2"),
      Map.entry(0x6A88, "referenced data not found (no such pending part, or unknown POS challenge)"),
      Map.entry(0x6D00, "instruction not supported"),
      Map.entry(0x6E00, "class not supported"),
      Map.entry(0x9401, "insufficient offline balance"),
      Map.entry(0x9402, "counter exhausted"),
      Map.entry(0x9403, "load number not the card's next (replay)"),
      Map.entry(0x9404, "rating not newer than the card's (rollback)"),
      Map.entry(0x9405, "rating for another card"),
      Map.entry(0x9410, "per-purchase limit exceeded"),
      Map.entry(0x9411, "balance cap exceeded"),
      Map.entry(0x9412, "offline count exhausted: go online"),
      Map.entry(0x9413, "an online part is already pending"),
      Map.entry(0x9414, "online part above the overdraw allowance"),
      Map.entry(0x9420, "card blocked"));

  private WalletStatus() {}

  /** True when the status word is one of the applets' documented ones. */
  public static boolean known(int sw) {
    return REASONS.containsKey(sw);
  }

  /** The reason for a status word, never null. */
  public static String reason(int sw) {
    return REASONS.getOrDefault(sw, "unknown status " + Integer.toHexString(sw));
  }
}
