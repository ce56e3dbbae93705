package io.iotpay.card.chip;

/**
 * Every status word the secure-chip applet sends, with its ISO/IEC 7816-4 meaning and the
 * situations that raise it; {@code docs/chip-apdus.md} has the same table.
 */
public interface ChipSw {
  /** Success. */
  short OK = (short) 0x9000;
  /** Execution error, memory unchanged: the message counter is exhausted (FFFFFFFF). */
  short COUNTER_EXHAUSTED = (short) 0x6400;
  /** Wrong length: Lc does not fit the command. */
  short WRONG_LENGTH = (short) 0x6700;
  /** Security status not satisfied: a platform message sequence number not above the last one. */
  short SECURITY_NOT_SATISFIED = (short) 0x6982;
  /** Conditions of use not satisfied: no session open, session exhausted, or lock with data missing. */
  short CONDITIONS_NOT_SATISFIED = (short) 0x6985;
  /** Command not allowed: wrong life-cycle state (write after lock, sign before lock). */
  short COMMAND_NOT_ALLOWED = (short) 0x6986;
  /** Secure messaging data objects incorrect: wrong MAC tag (or padding) on a DECRYPT. */
  short SM_INCORRECT = (short) 0x6988;
  /** Incorrect data: not a point on the curve, or a write not appended at the object's end. */
  short WRONG_DATA = (short) 0x6A80;
  /** Not enough memory space: the object would exceed its capacity. */
  short FILE_FULL = (short) 0x6A84;
  /** Incorrect P1 or P2. */
  short WRONG_P1P2 = (short) 0x6A86;
  /** Referenced data not found: unknown GET DATA tag or object not written. */
  short REFERENCED_DATA_NOT_FOUND = (short) 0x6A88;
  /** Wrong parameters: READ OBJECT offset beyond the object's end. */
  short OFFSET_OUTSIDE = (short) 0x6B00;
  /** Instruction not supported. */
  short INS_NOT_SUPPORTED = (short) 0x6D00;
  /** Class not supported. */
  short CLA_NOT_SUPPORTED = (short) 0x6E00;
  /** No precise diagnosis: no usable SM2 nonce found (probability about 2^-250). */
  short UNKNOWN = (short) 0x6F00;
}
