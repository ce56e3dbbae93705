package io.iotpay.foundation.codec;

/** The command-response cases of ISO/IEC 7816-4 §5.1 (S short, E extended length fields). */
public enum ApduCase {
  /** No command data, no response data expected. */
  CASE_1,
  /** No command data; Le in one byte. */
  CASE_2S,
  /** Command data with Lc in one byte; no Le. */
  CASE_3S,
  /** Command data with Lc in one byte; Le in one byte. */
  CASE_4S,
  /** No command data; Le in three bytes (00 then two). */
  CASE_2E,
  /** Command data with Lc in three bytes (00 then two); no Le. */
  CASE_3E,
  /** Command data with Lc in three bytes; Le in two bytes. */
  CASE_4E;

  /** True for the cases whose length fields use the extended form. */
  public boolean isExtended() {
    return switch (this) {
      case CASE_2E, CASE_3E, CASE_4E -> true;
      case CASE_1, CASE_2S, CASE_3S, CASE_4S -> false;
    };
  }
}
