package io.iotpay.card.psam;

/**
 * Every status word the PSAM applet sends; {@code docs/wallet-apdus.md} §6 has the same table.
 * Every non-9000 answer leaves the PSAM's persistent state as it was.
 */
public interface PsamSw {
  /** Success. */
  short OK = (short) 0x9000;
  /** Wrong length: Lc does not fit the command. */
  short WRONG_LENGTH = (short) 0x6700;
  /** The card certificate is not signed by the issuer key the PSAM trusts (or is malformed). */
  short CERTIFICATE_INVALID = (short) 0x6982;
  /** Conditions of use not satisfied: no verified card certificate in this session. */
  short CONDITIONS_NOT_SATISFIED = (short) 0x6985;
  /** Command not allowed in this life cycle. */
  short COMMAND_NOT_ALLOWED = (short) 0x6986;
  /** The card's debit signature does not verify. */
  short SIGNATURE_INVALID = (short) 0x6988;
  /** Incorrect data: wrong key format. */
  short WRONG_DATA = (short) 0x6A80;
  /** Incorrect P1 or P2. */
  short WRONG_P1P2 = (short) 0x6A86;
  /** The POS challenge is not one this PSAM issued and has not yet used (a replay, or made up). */
  short CHALLENGE_UNKNOWN = (short) 0x6A88;
  /** Instruction not supported. */
  short INS_NOT_SUPPORTED = (short) 0x6D00;
  /** Class not supported. */
  short CLA_NOT_SUPPORTED = (short) 0x6E00;
  /** The PSAM sequence number is exhausted (7FFFFFFF). */
  short COUNTER_EXHAUSTED = (short) 0x9402;
}
