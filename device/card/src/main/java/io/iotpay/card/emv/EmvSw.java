package io.iotpay.card.emv;

/**
 * Every status word the EMV payment and PPSE applets send, with its ISO/IEC 7816-4 / EMV Book 3
 * meaning and the situations that raise it; the table in {@code docs/emv-card-apdus.md} §9 is the
 * same data.
 */
public interface EmvSw {
  /** Success. */
  short OK = (short) 0x9000;
  /** Selected file invalidated: SELECT of an application the issuer blocked (FCI still sent). */
  short SELECTED_FILE_INVALIDATED = (short) 0x6283;
  /** Wrong PIN; the low nibble is the number of tries left (63C0 | tries). */
  short PIN_WRONG_BASE = (short) 0x63C0;
  /** Memory failure: a stored amount is no longer valid BCD. */
  short MEMORY_FAILURE = (short) 0x6581;
  /** Wrong length: Lc does not fit the command, or data is truncated. */
  short WRONG_LENGTH = (short) 0x6700;
  /** Authentication method blocked: VERIFY with the PIN try counter at zero. */
  short PIN_BLOCKED = (short) 0x6983;
  /**
   * Conditions of use not satisfied: command out of transaction order, application blocked (GPO),
   * ATC exhausted, second EXTERNAL AUTHENTICATE, a script already applied, not personalised.
   */
  short CONDITIONS_NOT_SATISFIED = (short) 0x6985;
  /** Secure messaging data objects incorrect: a script command whose MAC is wrong. */
  short SM_INCORRECT = (short) 0x6988;
  /** Incorrect data: bad BCD, a malformed template, a record or PDOL the card cannot use. */
  short WRONG_DATA = (short) 0x6A80;
  /** Function not supported: CDA requested in GENERATE AC (no ODA in this applet yet). */
  short FUNCTION_NOT_SUPPORTED = (short) 0x6A81;
  /** File not found: READ RECORD of an SFI the card does not have, a non-selecting SELECT. */
  short FILE_NOT_FOUND = (short) 0x6A82;
  /** Record not found. */
  short RECORD_NOT_FOUND = (short) 0x6A83;
  /** Not enough memory: a record, PDOL or directory longer than the space reserved for it. */
  short FILE_FULL = (short) 0x6A84;
  /** Lc inconsistent with the TLV structure. */
  short LC_TLV_INCONSISTENT = (short) 0x6A85;
  /** Incorrect P1 or P2. */
  short WRONG_P1P2 = (short) 0x6A86;
  /** Referenced data not found: unknown GET DATA / PUT DATA tag or DGI. */
  short REFERENCED_DATA_NOT_FOUND = (short) 0x6A88;
  /** Instruction not supported. */
  short INS_NOT_SUPPORTED = (short) 0x6D00;
  /** Class not supported. */
  short CLA_NOT_SUPPORTED = (short) 0x6E00;
}
