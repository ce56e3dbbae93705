package io.iotpay.card.wallet;

/**
 * Every status word the wallet applet sends, with its meaning; {@code docs/wallet-apdus.md} §6 has
 * the same table. 94xx are this application's own (ISO/IEC 7816-4 leaves 9xxx to applications).
 * Every non-9000 answer leaves the card's persistent state as it was.
 */
public interface WalletSw {
  /** Success. */
  short OK = (short) 0x9000;
  /** Wrong length: Lc does not fit the command. */
  short WRONG_LENGTH = (short) 0x6700;
  /** The POS certificate is not signed by the scheme key the card trusts (or is malformed). */
  short CERTIFICATE_INVALID = (short) 0x6982;
  /** Conditions of use not satisfied: DEBIT without a fresh INITIALIZE PURCHASE in this session. */
  short CONDITIONS_NOT_SATISFIED = (short) 0x6985;
  /** Command not allowed in this life cycle (personalisation command after lock, or the reverse). */
  short COMMAND_NOT_ALLOWED = (short) 0x6986;
  /** A signature is wrong: the PSAM's over the challenge, or the issuer's over a load/write-back. */
  short SIGNATURE_INVALID = (short) 0x6988;
  /** Incorrect data: an amount above 7FFFFFFF, a zero purchase, an unknown outcome or format. */
  short WRONG_DATA = (short) 0x6A80;
  /** Log record not found. */
  short RECORD_NOT_FOUND = (short) 0x6A83;
  /** Incorrect P1 or P2. */
  short WRONG_P1P2 = (short) 0x6A86;
  /** Referenced data not found: no pending online part with that counter, unknown GET DATA tag. */
  short REFERENCED_DATA_NOT_FOUND = (short) 0x6A88;
  /** Instruction not supported. */
  short INS_NOT_SUPPORTED = (short) 0x6D00;
  /** Class not supported. */
  short CLA_NOT_SUPPORTED = (short) 0x6E00;
  /** Offline balance below the offline part of the purchase. */
  short INSUFFICIENT_BALANCE = (short) 0x9401;
  /** The card counter or the load number is exhausted (7FFFFFFF). */
  short COUNTER_EXHAUSTED = (short) 0x9402;
  /** A load whose load number is not the card's next one (a replay or a skipped load). */
  short LOAD_NUMBER_WRONG = (short) 0x9403;
  /** WRITE RATING with a version not above the card's: an older or the same rating (no rollback). */
  short RATING_NOT_NEWER = (short) 0x9404;
  /** WRITE RATING naming another card's id. */
  short RATING_OTHER_CARD = (short) 0x9405;
  /** The offline part exceeds the per-purchase limit. */
  short PURCHASE_LIMIT = (short) 0x9410;
  /** The load would take the balance above the balance cap. */
  short BALANCE_CAP = (short) 0x9411;
  /** The offline count is exhausted: the card must go online (a load) before it buys offline. */
  short OFFLINE_COUNT_EXHAUSTED = (short) 0x9412;
  /** A split purchase while an earlier online part is still pending. */
  short PENDING_EXISTS = (short) 0x9413;
  /** The online part exceeds the overdraw allowance the issuer's rating gave the card. */
  short ALLOWANCE_EXCEEDED = (short) 0x9414;
  /** The card is blocked (a failed online part under a blocking rule): it buys nothing. */
  short CARD_BLOCKED = (short) 0x9420;
}
