package io.iotpay.platform.rules;

import java.util.regex.Pattern;

/**
 * A biller (a utility) and the merchant its bills are paid to.
 *
 * @param billerId 1..64 of [A-Za-z0-9-]
 * @param merchantId the merchant in the merchant directory, 1..64 of [A-Za-z0-9-]
 */
public record Biller(String billerId, String merchantId) {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
  public Biller {
    if (billerId == null || !ID.matcher(billerId).matches() || merchantId == null || !ID.matcher(merchantId).matches()) {
      throw new RuleInputException("biller id and merchant id must be 1..64 of A-Z a-z 0-9 -");
    }
  }
}
