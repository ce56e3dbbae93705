package io.iotpay.platform.rules;

/**
 * A biller (a utility) and the merchant its bills are paid to.
 *
 * @param billerId 1..64 of [A-Za-z0-9-]
 * @param merchantId the merchant in the merchant directory, 1..64 of [A-Za-z0-9-]
 */
public record Biller(String billerId, String merchantId) {
  public Biller {
    if (billerId == null || !billerId.matches("[A-Za-z0-9-]{1,64}") || merchantId == null || !merchantId.matches("[A-Za-z0-9-]{1,64}")) {
      throw new RuleInputException("biller id and merchant id must be 1..64 of A-Z a-z 0-9 -");
    }
  }
}
