package io.iotpay.platform.mandate;

import io.iotpay.foundation.text.DisplayText;
import io.iotpay.platform.state.GeoPoint;
import java.util.regex.Pattern;

/**
 * A merchant devices may pay: its id, ISO 18245 merchant category code, the ledger account its
 * money settles to (in the paying user's issuer book), and where it is, if it has a place.
 *
 * @param merchantId 1..64 characters of {@code [A-Za-z0-9-]}
 * @param name for people, 1..128 characters, none of them a control or bidi character ({@link DisplayText})
 * @param category four digits (e.g. 5542 fuel dispensers, 7523 parking, 4900 utilities, 5399 general merchandise)
 * @param settlementAccountId the ledger account credited, positive
 * @param location where the merchant is, or null for merchants without a place (online shops, billers)
 */
public record Merchant(String merchantId, String name, String category, long settlementAccountId, GeoPoint location) {
  private static final Pattern ID_CHARS = Pattern.compile("[A-Za-z0-9-]+");
  private static final Pattern FOUR_DIGITS = Pattern.compile("[0-9]{4}");
  /** @throws MandateException for a malformed field */
  public Merchant {
    requireId(merchantId, "merchant id");
    if (name == null || name.isEmpty() || name.length() > 128) {
      throw new MandateException("merchant " + merchantId + ": name must have 1..128 characters");
    }
    int unsafe = DisplayText.firstUnsafeIndex(name);
    if (unsafe >= 0) {
      throw new MandateException("merchant " + merchantId + ": name holds a control or bidi-override character at index " + unsafe);
    }
    requireCategory(category, "merchant " + merchantId);
    if (settlementAccountId <= 0) {
      throw new MandateException("merchant " + merchantId + ": settlement account " + settlementAccountId + " is not positive");
    }
  }

  static void requireId(String id, String what) {
    if (id == null || id.isEmpty() || id.length() > 64 || !ID_CHARS.matcher(id).matches()) {
      throw new MandateException(what + " '" + clip(id) + "' must have 1..64 characters of A-Z a-z 0-9 -");
    }
  }

  static void requireCategory(String category, String where) {
    if (category == null || !FOUR_DIGITS.matcher(category).matches()) {
      throw new MandateException(where + ": merchant category '" + clip(category) + "' is not four digits");
    }
  }

  static String clip(String text) {
    if (text == null) {
      return "null";
    }
    return text.length() <= 64 ? text : text.substring(0, 64) + "…";
  }
}
