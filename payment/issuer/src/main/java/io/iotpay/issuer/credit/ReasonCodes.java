package io.iotpay.issuer.credit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every reason code the scorecard can give, and their stored form: codes separated by one space,
 * worst first (e.g. {@code "CR08 CR09 CR06"}). The reader is bounded and iterative.
 */
public final class ReasonCodes {
  /** Longest stored text: {@link ScorecardSettings#REASONS_MAX} codes of 4 characters and their spaces. */
  public static final int TEXT_CHARS_MAX = 32;
  private static final Map<String, ReasonCode> BY_CODE = byCode();

  private ReasonCodes() {}

  /** Every code, value reasons and missing-data reasons. */
  public static List<ReasonCode> all() {
    return BY_CODE.values().stream().sorted(java.util.Comparator.comparing(ReasonCode::code)).toList();
  }

  /** The stored form of a list of reasons. */
  public static String format(List<ReasonCode> reasons) {
    StringBuilder text = new StringBuilder(TEXT_CHARS_MAX);
    for (ReasonCode reason : reasons) {
      if (!text.isEmpty()) {
        text.append(' ');
      }
      text.append(reason.code());
    }
    return text.toString();
  }

  /**
   * Reads the stored form back.
   *
   * @throws CreditInputException if the text is longer than {@link #TEXT_CHARS_MAX}, holds more
   *     than {@link ScorecardSettings#REASONS_MAX} codes, an empty code, or an unknown one
   */
  public static List<ReasonCode> parse(String text) {
    if (text == null || text.length() > TEXT_CHARS_MAX) {
      throw new CreditInputException("reason codes text is null or longer than " + TEXT_CHARS_MAX + " characters");
    }
    List<ReasonCode> reasons = new ArrayList<>(ScorecardSettings.REASONS_MAX);
    if (text.isEmpty()) {
      return reasons;
    }
    int from = 0;
    while (from <= text.length()) {
      int space = text.indexOf(' ', from);
      int end = space < 0 ? text.length() : space;
      ReasonCode reason = BY_CODE.get(text.substring(from, end));
      if (reason == null || reasons.size() == ScorecardSettings.REASONS_MAX) {
        throw new CreditInputException("reason codes '" + text + "': unknown code or more than "
            + ScorecardSettings.REASONS_MAX + " codes at offset " + from);
      }
      reasons.add(reason);
      from = end + 1;
    }
    return reasons;
  }

  private static Map<String, ReasonCode> byCode() {
    Map<String, ReasonCode> map = new HashMap<>();
    for (Indicator indicator : Indicator.values()) {
      map.put(indicator.reason().code(), indicator.reason());
      if (indicator.mayBeMissing()) {
        map.put(indicator.missingReason().code(), indicator.missingReason());
      }
    }
    return Map.copyOf(map);
  }
}
