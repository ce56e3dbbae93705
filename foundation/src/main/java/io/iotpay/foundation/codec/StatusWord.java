package io.iotpay.foundation.codec;

import java.util.Optional;

/**
 * The status words iotpay understands, as one data table (ISO/IEC 7816-4 §5.1.3 Tables 5 and 6,
 * and the EMV/PBOC uses of them). Terminal code maps an SW to a typed outcome by looking it up
 * here and switching over the constant, never by scattered comparisons.
 *
 * <p>A row matches an SW when {@code (sw & mask) == value}; rows are tried in declaration order,
 * exact rows first, so {@code 63C2} finds {@link #VERIFY_FAILED_RETRIES} and {@code 6310} the
 * per-SW1 fallback {@link #WARNING_CHANGED}. The bits outside the mask are the {@link
 * #qualifier(int)} (bytes still available, retries left, correct Le).
 */
public enum StatusWord {
  OK(0x9000, 0xFFFF, Category.NORMAL, "Normal processing, no further qualification"),
  BYTES_AVAILABLE(0x6100, 0xFF00, Category.NORMAL, "Response bytes still available (SW2 = count)"),
  WARNING_NO_INFORMATION(0x6200, 0xFFFF, Category.WARNING, "State unchanged, no information given"),
  PART_CORRUPTED(0x6281, 0xFFFF, Category.WARNING, "Part of returned data may be corrupted"),
  END_REACHED(0x6282, 0xFFFF, Category.WARNING, "End of file or record reached before reading Ne bytes"),
  FILE_INVALIDATED(0x6283, 0xFFFF, Category.WARNING, "Selected file invalidated (application blocked)"),
  FCI_FORMAT_WRONG(0x6284, 0xFFFF, Category.WARNING, "File control information not formatted per ISO/IEC 7816-4"),
  STATE_CHANGED_NO_INFORMATION(0x6300, 0xFFFF, Category.WARNING, "State changed, no information given (e.g. authentication failed)"),
  VERIFY_FAILED_RETRIES(0x63C0, 0xFFF0, Category.WARNING, "Verification failed, counter = retries left (SW2 low nibble)"),
  EXECUTION_ERROR_UNCHANGED(0x6400, 0xFFFF, Category.EXECUTION_ERROR, "Execution error, state of non-volatile memory unchanged"),
  MEMORY_FAILURE(0x6581, 0xFFFF, Category.EXECUTION_ERROR, "Memory failure"),
  WRONG_LENGTH(0x6700, 0xFFFF, Category.CHECKING_ERROR, "Wrong length (Lc or Le)"),
  LOGICAL_CHANNEL_NOT_SUPPORTED(0x6881, 0xFFFF, Category.CHECKING_ERROR, "Logical channel not supported"),
  SECURE_MESSAGING_NOT_SUPPORTED(0x6882, 0xFFFF, Category.CHECKING_ERROR, "Secure messaging not supported"),
  COMMAND_NOT_ALLOWED(0x6900, 0xFFFF, Category.CHECKING_ERROR, "Command not allowed, no information given"),
  SECURITY_NOT_SATISFIED(0x6982, 0xFFFF, Category.CHECKING_ERROR, "Security status not satisfied (e.g. push ATC replayed)"),
  AUTHENTICATION_BLOCKED(0x6983, 0xFFFF, Category.CHECKING_ERROR, "Authentication method blocked"),
  REFERENCE_DATA_NOT_USABLE(0x6984, 0xFFFF, Category.CHECKING_ERROR, "Reference data not usable"),
  CONDITIONS_NOT_SATISFIED(0x6985, 0xFFFF, Category.CHECKING_ERROR, "Conditions of use not satisfied"),
  COMMAND_NOT_ALLOWED_NO_EF(0x6986, 0xFFFF, Category.CHECKING_ERROR, "Command not allowed (no current EF)"),
  SM_OBJECTS_MISSING(0x6987, 0xFFFF, Category.CHECKING_ERROR, "Expected secure messaging data objects missing"),
  SM_OBJECTS_INCORRECT(0x6988, 0xFFFF, Category.CHECKING_ERROR, "Incorrect secure messaging data objects (e.g. MAC wrong)"),
  WRONG_DATA(0x6A80, 0xFFFF, Category.CHECKING_ERROR, "Incorrect parameters in the command data field"),
  FUNCTION_NOT_SUPPORTED(0x6A81, 0xFFFF, Category.CHECKING_ERROR, "Function not supported"),
  FILE_NOT_FOUND(0x6A82, 0xFFFF, Category.CHECKING_ERROR, "File or application not found"),
  RECORD_NOT_FOUND(0x6A83, 0xFFFF, Category.CHECKING_ERROR, "Record not found"),
  NOT_ENOUGH_MEMORY(0x6A84, 0xFFFF, Category.CHECKING_ERROR, "Not enough memory space in the file"),
  NC_INCONSISTENT_WITH_TLV(0x6A85, 0xFFFF, Category.CHECKING_ERROR, "Nc inconsistent with TLV structure"),
  WRONG_P1_P2(0x6A86, 0xFFFF, Category.CHECKING_ERROR, "Incorrect parameters P1-P2"),
  NC_INCONSISTENT_WITH_P1_P2(0x6A87, 0xFFFF, Category.CHECKING_ERROR, "Nc inconsistent with parameters P1-P2"),
  REFERENCED_DATA_NOT_FOUND(0x6A88, 0xFFFF, Category.CHECKING_ERROR, "Referenced data or reference data not found"),
  WRONG_PARAMETERS(0x6B00, 0xFFFF, Category.CHECKING_ERROR, "Wrong parameters P1-P2"),
  WRONG_LE(0x6C00, 0xFF00, Category.CHECKING_ERROR, "Wrong Le field (SW2 = exact number of available bytes)"),
  INS_NOT_SUPPORTED(0x6D00, 0xFFFF, Category.CHECKING_ERROR, "Instruction code not supported or invalid"),
  CLA_NOT_SUPPORTED(0x6E00, 0xFFFF, Category.CHECKING_ERROR, "Class not supported"),
  NO_PRECISE_DIAGNOSIS(0x6F00, 0xFFFF, Category.CHECKING_ERROR, "No precise diagnosis"),
  // Per-SW1 fallbacks: an SW the rows above do not list still gets its ISO category.
  WARNING_UNCHANGED(0x6200, 0xFF00, Category.WARNING, "Warning, state of non-volatile memory unchanged"),
  WARNING_CHANGED(0x6300, 0xFF00, Category.WARNING, "Warning, state of non-volatile memory changed"),
  EXECUTION_ERROR_UNCHANGED_OTHER(0x6400, 0xFF00, Category.EXECUTION_ERROR, "Execution error, state unchanged"),
  EXECUTION_ERROR_CHANGED(0x6500, 0xFF00, Category.EXECUTION_ERROR, "Execution error, state of non-volatile memory changed"),
  SECURITY_ERROR(0x6600, 0xFF00, Category.EXECUTION_ERROR, "Security-related issue"),
  WRONG_LENGTH_OTHER(0x6700, 0xFF00, Category.CHECKING_ERROR, "Wrong length"),
  CLA_FUNCTION_NOT_SUPPORTED(0x6800, 0xFF00, Category.CHECKING_ERROR, "Functions in CLA not supported"),
  COMMAND_NOT_ALLOWED_OTHER(0x6900, 0xFF00, Category.CHECKING_ERROR, "Command not allowed"),
  WRONG_PARAMETERS_OTHER(0x6A00, 0xFF00, Category.CHECKING_ERROR, "Wrong parameters P1-P2"),
  PROPRIETARY(0x9000, 0xF000, Category.NORMAL, "Proprietary status (9001..9FFF)");

  private final int value;
  private final int mask;
  private final Category category;
  private final String meaning;

  StatusWord(int value, int mask, Category category, String meaning) {
    this.value = value;
    this.mask = mask;
    this.category = category;
    this.meaning = meaning;
  }

  /**
   * The first row matching the SW.
   *
   * @param sw SW1SW2 as an unsigned 16-bit value
   * @return the row, or empty when no row matches (e.g. SW1 6B with SW2 non-zero)
   */
  public static Optional<StatusWord> lookup(int sw) {
    for (StatusWord row : values()) {
      if ((sw & row.mask) == row.value) {
        return Optional.of(row);
      }
    }
    return Optional.empty();
  }

  /** A one-line description, e.g. {@code "6A82 File or application not found"}; never null. */
  public static String describe(int sw) {
    String hex = String.format("%04X", sw & 0xFFFF);
    return lookup(sw).map(row -> hex + " " + row.meaning).orElse(hex + " unknown status word");
  }

  /** The SW bits this row leaves free: bytes available (61XX), retries (63CX), Le (6CXX); else 0. */
  public int qualifier(int sw) {
    return sw & ~mask & 0xFFFF;
  }

  /** The SW value (with free bits zero). */
  public int value() {
    return value;
  }

  /** The bits of an SW that must equal {@link #value()}. */
  public int mask() {
    return mask;
  }

  /** ISO/IEC 7816-4 category. */
  public Category category() {
    return category;
  }

  /** Human-readable meaning. */
  public String meaning() {
    return meaning;
  }

  /** The four status categories of ISO/IEC 7816-4 Table 5. */
  public enum Category {
    NORMAL,
    WARNING,
    EXECUTION_ERROR,
    CHECKING_ERROR
  }
}
