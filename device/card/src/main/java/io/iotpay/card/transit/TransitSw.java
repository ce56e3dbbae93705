package io.iotpay.card.transit;

/**
 * Every status word the transit applet sends, with its ISO/IEC 7816-4 meaning and the situations
 * that raise it (the table in {@code docs/card-apdus.md} is the same data). The first block is the
 * table of the seed paper (section 2.2.2.1); the second the other ISO words the applet uses.
 */
public interface TransitSw {
  /** Success. */
  short OK = (short) 0x9000;
  /** Warning, no information given: STORE DATA resent with the value the card already holds. */
  short NO_INFORMATION = (short) 0x6200;
  /** Warning, part of returned data may be corrupted: a log record or proof failed its check byte. */
  short DATA_MAY_BE_CORRUPTED = (short) 0x6281;
  /** Execution error, memory unchanged: the ATC is exhausted (FFFF), no transaction can start. */
  short EXECUTION_ERROR = (short) 0x6400;
  /** Memory failure: stored quota, DF62 or DF63 is not valid BCD. */
  short MEMORY_FAILURE = (short) 0x6581;
  /** Wrong length: Lc does not fit the command. */
  short WRONG_LENGTH = (short) 0x6700;
  /** Secure messaging not supported: SM class byte on a command that has no SM form. */
  short SM_NOT_SUPPORTED = (short) 0x6882;
  /** Security status not satisfied: no secure channel, or a replayed Push ATC. */
  short SECURITY_NOT_SATISFIED = (short) 0x6982;
  /** Command not allowed: wrong life-cycle state or out of transaction order. */
  short COMMAND_NOT_ALLOWED = (short) 0x6986;
  /** Expected SM data objects missing: no C-MAC, or a push MAC shorter than 4 bytes. */
  short SM_MISSING = (short) 0x6987;
  /** SM data objects incorrect: wrong C-MAC or push MAC. */
  short SM_INCORRECT = (short) 0x6988;
  /** Incorrect parameters in the data field: bad BCD, DF60 other than 0 or 1, bad journey state. */
  short WRONG_DATA = (short) 0x6A80;
  /** Function not supported: tag off the push whitelist, unknown extended application, CDA. */
  short FUNCTION_NOT_SUPPORTED = (short) 0x6A81;
  /** Not enough memory space in the file: a data object longer than the space reserved for it. */
  short FILE_FULL = (short) 0x6A84;
  /** Nc inconsistent with TLV structure. */
  short LC_TLV_INCONSISTENT = (short) 0x6A85;

  /** Authentication failed: SCP02 host cryptogram wrong. */
  short AUTHENTICATION_FAILED = (short) 0x6300;
  /** Conditions of use not satisfied: personalisation closed with data missing. */
  short CONDITIONS_NOT_SATISFIED = (short) 0x6985;
  /** File not found: READ RECORD of an SFI the card does not have. */
  short FILE_NOT_FOUND = (short) 0x6A82;
  /** Record not found. */
  short RECORD_NOT_FOUND = (short) 0x6A83;
  /** Incorrect P1 or P2. */
  short WRONG_P1P2 = (short) 0x6A86;
  /** Referenced data not found: unknown key version, DGI or GET DATA tag; no proof for that ATC. */
  short REFERENCED_DATA_NOT_FOUND = (short) 0x6A88;
  /** Instruction not supported. */
  short INS_NOT_SUPPORTED = (short) 0x6D00;
  /** Class not supported. */
  short CLA_NOT_SUPPORTED = (short) 0x6E00;
}
