package io.iotpay.foundation.codec;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The EMV and PBOC data objects iotpay knows: tag, name and format, as a reviewable table.
 *
 * <p>Sources: EMV 4.3 Book 3 Annex A (Data Elements Dictionary) for the EMV tags; JR/T 0025 (PBOC
 * 3.0) for the electronic-cash tags 9F6D..9F7B, 9F63, 9F66, 9F6B, 9F6C; our transit-quota spec
 * (docs, from seed 004) for 9F79 as a quota and DF60, DF62, DF63. Amounts and counters that EMV
 * codes as n12 keep that format here, so DOL building pads and truncates them as numbers.
 */
public final class EmvTags {
  /** Amount, Authorised (Numeric), n12. */
  public static final Tag AMOUNT_AUTHORISED = Tag.of(0x9F02);
  /** Transaction Currency Code, n3 (ISO 4217 numeric, e.g. 156 for CNY). */
  public static final Tag TRANSACTION_CURRENCY_CODE = Tag.of(0x5F2A);
  /** Transaction Date, n6 YYMMDD. */
  public static final Tag TRANSACTION_DATE = Tag.of(0x9A);
  /** Application Transaction Counter, b2. */
  public static final Tag ATC = Tag.of(0x9F36);
  /** Processing Options Data Object List. */
  public static final Tag PDOL = Tag.of(0x9F38);
  /** Card Risk Management Data Object List 1. */
  public static final Tag CDOL1 = Tag.of(0x8C);
  /** Card Risk Management Data Object List 2. */
  public static final Tag CDOL2 = Tag.of(0x8D);
  /** Available quota on a transit-quota card (the PBOC EC balance tag reused), n12. */
  public static final Tag AVAILABLE_QUOTA = Tag.of(0x9F79);
  /** Extended application type, sent by the terminal in GPO: 0 no support, 1 supports. */
  public static final Tag EXTENDED_APPLICATION_TYPE = Tag.of(0xDF60);

  private static final SortedMap<Tag, EmvTag> TABLE = build(
      row(0x42, "Issuer Identification Number (IIN)", DataFormat.N),
      row(0x4F, "Application Identifier (AID) - card", DataFormat.B),
      row(0x50, "Application Label", DataFormat.ANS),
      row(0x57, "Track 2 Equivalent Data", DataFormat.B),
      row(0x5A, "Application Primary Account Number (PAN)", DataFormat.CN),
      row(0x5F20, "Cardholder Name", DataFormat.ANS),
      row(0x5F24, "Application Expiration Date", DataFormat.N),
      row(0x5F25, "Application Effective Date", DataFormat.N),
      row(0x5F28, "Issuer Country Code", DataFormat.N),
      row(0x5F2A, "Transaction Currency Code", DataFormat.N),
      row(0x5F2D, "Language Preference", DataFormat.AN),
      row(0x5F30, "Service Code", DataFormat.N),
      row(0x5F34, "Application PAN Sequence Number", DataFormat.N),
      row(0x5F36, "Transaction Currency Exponent", DataFormat.N),
      row(0x61, "Application Template", DataFormat.B),
      row(0x6F, "File Control Information (FCI) Template", DataFormat.B),
      row(0x70, "READ RECORD Response Message Template", DataFormat.B),
      row(0x71, "Issuer Script Template 1", DataFormat.B),
      row(0x72, "Issuer Script Template 2", DataFormat.B),
      row(0x73, "Directory Discretionary Template", DataFormat.B),
      row(0x77, "Response Message Template Format 2", DataFormat.B),
      row(0x80, "Response Message Template Format 1", DataFormat.B),
      row(0x81, "Amount, Authorised (Binary)", DataFormat.B),
      row(0x82, "Application Interchange Profile (AIP)", DataFormat.B),
      row(0x83, "Command Template", DataFormat.B),
      row(0x84, "Dedicated File (DF) Name", DataFormat.B),
      row(0x86, "Issuer Script Command", DataFormat.B),
      row(0x87, "Application Priority Indicator", DataFormat.B),
      row(0x88, "Short File Identifier (SFI)", DataFormat.B),
      row(0x89, "Authorisation Code", DataFormat.ANS),
      row(0x8A, "Authorisation Response Code", DataFormat.AN),
      row(0x8C, "Card Risk Management Data Object List 1 (CDOL1)", DataFormat.B),
      row(0x8D, "Card Risk Management Data Object List 2 (CDOL2)", DataFormat.B),
      row(0x8E, "Cardholder Verification Method (CVM) List", DataFormat.B),
      row(0x8F, "Certification Authority Public Key Index", DataFormat.B),
      row(0x90, "Issuer Public Key Certificate", DataFormat.B),
      row(0x91, "Issuer Authentication Data", DataFormat.B),
      row(0x92, "Issuer Public Key Remainder", DataFormat.B),
      row(0x93, "Signed Static Application Data", DataFormat.B),
      row(0x94, "Application File Locator (AFL)", DataFormat.B),
      row(0x95, "Terminal Verification Results (TVR)", DataFormat.B),
      row(0x97, "Transaction Certificate Data Object List (TDOL)", DataFormat.B),
      row(0x9A, "Transaction Date", DataFormat.N),
      row(0x9B, "Transaction Status Information (TSI)", DataFormat.B),
      row(0x9C, "Transaction Type", DataFormat.N),
      row(0x9D, "Directory Definition File (DDF) Name", DataFormat.B),
      row(0xA5, "File Control Information (FCI) Proprietary Template", DataFormat.B),
      row(0x9F01, "Acquirer Identifier", DataFormat.N),
      row(0x9F02, "Amount, Authorised (Numeric)", DataFormat.N),
      row(0x9F03, "Amount, Other (Numeric)", DataFormat.N),
      row(0x9F04, "Amount, Other (Binary)", DataFormat.B),
      row(0x9F05, "Application Discretionary Data", DataFormat.B),
      row(0x9F06, "Application Identifier (AID) - terminal", DataFormat.B),
      row(0x9F07, "Application Usage Control", DataFormat.B),
      row(0x9F08, "Application Version Number (card)", DataFormat.B),
      row(0x9F09, "Application Version Number (terminal)", DataFormat.B),
      row(0x9F0D, "Issuer Action Code - Default", DataFormat.B),
      row(0x9F0E, "Issuer Action Code - Denial", DataFormat.B),
      row(0x9F0F, "Issuer Action Code - Online", DataFormat.B),
      row(0x9F10, "Issuer Application Data", DataFormat.B),
      row(0x9F11, "Issuer Code Table Index", DataFormat.N),
      row(0x9F12, "Application Preferred Name", DataFormat.ANS),
      row(0x9F13, "Last Online Application Transaction Counter (ATC) Register", DataFormat.B),
      row(0x9F14, "Lower Consecutive Offline Limit", DataFormat.B),
      row(0x9F15, "Merchant Category Code", DataFormat.N),
      row(0x9F16, "Merchant Identifier", DataFormat.ANS),
      row(0x9F17, "Personal Identification Number (PIN) Try Counter", DataFormat.B),
      row(0x9F1A, "Terminal Country Code", DataFormat.N),
      row(0x9F1B, "Terminal Floor Limit", DataFormat.B),
      row(0x9F1C, "Terminal Identification", DataFormat.AN),
      row(0x9F1E, "Interface Device (IFD) Serial Number", DataFormat.AN),
      row(0x9F21, "Transaction Time", DataFormat.N),
      row(0x9F23, "Upper Consecutive Offline Limit", DataFormat.B),
      row(0x9F26, "Application Cryptogram", DataFormat.B),
      row(0x9F27, "Cryptogram Information Data", DataFormat.B),
      row(0x9F32, "Issuer Public Key Exponent", DataFormat.B),
      row(0x9F33, "Terminal Capabilities", DataFormat.B),
      row(0x9F34, "Cardholder Verification Method (CVM) Results", DataFormat.B),
      row(0x9F35, "Terminal Type", DataFormat.N),
      row(0x9F36, "Application Transaction Counter (ATC)", DataFormat.B),
      row(0x9F37, "Unpredictable Number", DataFormat.B),
      row(0x9F38, "Processing Options Data Object List (PDOL)", DataFormat.B),
      row(0x9F39, "Point-of-Service (POS) Entry Mode", DataFormat.N),
      row(0x9F40, "Additional Terminal Capabilities", DataFormat.B),
      row(0x9F41, "Transaction Sequence Counter", DataFormat.N),
      row(0x9F42, "Application Currency Code", DataFormat.N),
      row(0x9F44, "Application Currency Exponent", DataFormat.N),
      row(0x9F45, "Data Authentication Code", DataFormat.B),
      row(0x9F46, "ICC Public Key Certificate", DataFormat.B),
      row(0x9F47, "ICC Public Key Exponent", DataFormat.B),
      row(0x9F48, "ICC Public Key Remainder", DataFormat.B),
      row(0x9F49, "Dynamic Data Authentication Data Object List (DDOL)", DataFormat.B),
      row(0x9F4A, "Static Data Authentication Tag List", DataFormat.B),
      row(0x9F4B, "Signed Dynamic Application Data", DataFormat.B),
      row(0x9F4C, "ICC Dynamic Number", DataFormat.B),
      row(0x9F4D, "Log Entry", DataFormat.B),
      row(0x9F4E, "Merchant Name and Location", DataFormat.ANS),
      row(0x9F4F, "Log Format", DataFormat.B),
      row(0x9F63, "Card Product Identification Information (PBOC)", DataFormat.B),
      row(0x9F66, "Terminal Transaction Qualifiers (TTQ)", DataFormat.B),
      row(0x9F6B, "Card CVM Limit (qPBOC)", DataFormat.N),
      row(0x9F6C, "Card Transaction Qualifiers (CTQ)", DataFormat.B),
      row(0x9F6D, "Electronic Cash Reset Threshold (PBOC)", DataFormat.N),
      row(0x9F74, "Electronic Cash Issuer Authorisation Code (PBOC)", DataFormat.A),
      row(0x9F77, "Electronic Cash Balance Limit (PBOC)", DataFormat.N),
      row(0x9F78, "Electronic Cash Single Transaction Limit (PBOC)", DataFormat.N),
      row(0x9F79, "Available Quota (transit; PBOC Electronic Cash Balance)", DataFormat.N),
      row(0x9F7A, "Electronic Cash Terminal Support Indicator (PBOC)", DataFormat.B),
      row(0x9F7B, "Electronic Cash Terminal Transaction Limit (PBOC)", DataFormat.N),
      row(0xBF0C, "File Control Information (FCI) Issuer Discretionary Data", DataFormat.B),
      row(0xDF60, "Extended Application Type (transit quota)", DataFormat.B),
      row(0xDF62, "Segmented Charging Deduction Limit (transit quota)", DataFormat.N),
      row(0xDF63, "Segmented Charging Amount Deducted (transit quota)", DataFormat.N)
  );

  private EmvTags() {}

  /**
   * The dictionary entry for a tag.
   *
   * @param tag not null
   * @return the entry, or empty for a tag not in the table
   */
  public static Optional<EmvTag> lookup(Tag tag) {
    return Optional.ofNullable(TABLE.get(tag));
  }

  /** The tag's name, or {@code "unknown tag"} when it is not in the table; never null. */
  public static String nameOf(Tag tag) {
    EmvTag entry = TABLE.get(tag);
    return entry == null ? "unknown tag" : entry.name();
  }

  /** Every entry, ordered by tag value; an unmodifiable list. */
  public static List<EmvTag> all() {
    return List.copyOf(TABLE.values());
  }

  private static EmvTag row(int tag, String name, DataFormat format) {
    return new EmvTag(Tag.of(tag), name, format);
  }

  private static SortedMap<Tag, EmvTag> build(EmvTag... rows) {
    SortedMap<Tag, EmvTag> table = new TreeMap<>();
    for (EmvTag row : rows) {
      EmvTag previous = table.put(row.tag(), row);
      if (previous != null) {
        throw new AssertionError("EmvTags lists tag " + row.tag() + " twice");
      }
    }
    return Collections.unmodifiableSortedMap(table);
  }
}
