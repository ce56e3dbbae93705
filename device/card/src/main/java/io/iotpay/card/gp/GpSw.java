package io.iotpay.card.gp;

/**
 * Every status word a security domain sends; docs/gp-hierarchy.md §5 has the same table. Every
 * non-9000 answer leaves keys, associations and the personalisation target as they were.
 */
public interface GpSw {
  /** Success. */
  short OK = (short) 0x9000;
  /** EXTERNAL AUTHENTICATE: the host cryptogram is wrong; the session is closed. */
  short AUTHENTICATION_FAILED = (short) 0x6300;
  /** Lc does not fit the command. */
  short WRONG_LENGTH = (short) 0x6700;
  /** No authenticated secure channel for a command that needs one. */
  short SECURITY_NOT_SATISFIED = (short) 0x6982;
  /** This domain lacks the authority (an SSD creating a domain), or has no keys yet. */
  short CONDITIONS_NOT_SATISFIED = (short) 0x6985;
  /** The C-MAC is wrong, or secure messaging is missing; the session is closed. */
  short SM_INCORRECT = (short) 0x6988;
  /** Malformed data: a key block of the wrong type or length, a KCV that does not match. */
  short WRONG_DATA = (short) 0x6A80;
  /** Incorrect P1 or P2. */
  short WRONG_P1P2 = (short) 0x6A86;
  /** The key version is not on the card, or the AID is not associated with this domain. */
  short REFERENCED_DATA_NOT_FOUND = (short) 0x6A88;
  /** Instruction not supported. */
  short INS_NOT_SUPPORTED = (short) 0x6D00;
  /** Class not supported. */
  short CLA_NOT_SUPPORTED = (short) 0x6E00;
}
