package io.iotpay.card.se;

/**
 * Every status word the phone secure-element applet sends, with its ISO/IEC 7816-4 meaning;
 * {@code docs/se-apdus.md} has the same table.
 */
public interface SeSw {
  /** Success. */
  short OK = (short) 0x9000;
  /** Execution error, memory unchanged: the attestation counter is exhausted (FFFFFFFF). */
  short COUNTER_EXHAUSTED = (short) 0x6400;
  /** Wrong length: Lc does not fit the command. */
  short WRONG_LENGTH = (short) 0x6700;
  /** Conditions of use not satisfied: no key pair yet (or one already made). */
  short CONDITIONS_NOT_SATISFIED = (short) 0x6985;
  /** Command not allowed: wrong life-cycle state (enrolment signing after the lock, attesting before it). */
  short COMMAND_NOT_ALLOWED = (short) 0x6986;
  /** Incorrect data: a terminal id that is not 8 printable ASCII bytes, or an unknown token version. */
  short WRONG_DATA = (short) 0x6A80;
  /** Incorrect P1 or P2. */
  short WRONG_P1P2 = (short) 0x6A86;
  /** Referenced data not found: unknown GET DATA tag. */
  short REFERENCED_DATA_NOT_FOUND = (short) 0x6A88;
  /** Instruction not supported. */
  short INS_NOT_SUPPORTED = (short) 0x6D00;
  /** Class not supported. */
  short CLA_NOT_SUPPORTED = (short) 0x6E00;
}
