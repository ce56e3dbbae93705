package io.iotpay.platform.rules;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One rule, declared as data (see {@link RuleBook} for the JSON form).
 *
 * @param name unique, 1..64 of [A-Za-z0-9.-]; becomes the payment's origin
 * @param deviceType the device type whose events it reads, 1..64 of [a-z0-9-]
 * @param trigger never null
 * @param merchant never null
 * @param amount never null
 * @param confirmation never null
 * @param confirmationField for {@link ConfirmationPolicy#DEVICE_CONFIRMED}, the event field that says
 *     {@code true} when the user confirmed on the device; null otherwise
 * @param referenceField the event field copied into the payment's reference, or null (a bill's id is used for bills)
 * @param oneOrderAtATime no new payment while the previous one of this rule and device is in progress
 */
public record RuleDefinition(
    String name, String deviceType, Trigger trigger, MerchantSource merchant, AmountSource amount,
    ConfirmationPolicy confirmation, String confirmationField, String referenceField, boolean oneOrderAtATime) {
  private static final Pattern DOTTED_ID = Pattern.compile("[A-Za-z0-9.-]{1,64}");
  private static final Pattern LOWER_ID = Pattern.compile("[a-z0-9-]{1,64}");
  /** @throws RuleInputException for a missing or malformed part */
  public RuleDefinition {
    if (name == null || !DOTTED_ID.matcher(name).matches()) {
      throw new RuleInputException("rule name '" + name + "' is not 1..64 of A-Z a-z 0-9 . -");
    }
    if (deviceType == null || !LOWER_ID.matcher(deviceType).matches()) {
      throw new RuleInputException("rule " + name + ": device type is not 1..64 of a-z 0-9 -");
    }
    if (trigger == null || merchant == null || amount == null || confirmation == null) {
      throw new RuleInputException("rule " + name + ": trigger, merchant, amount and confirmation are required");
    }
    if ((confirmation == ConfirmationPolicy.DEVICE_CONFIRMED) != (confirmationField != null)) {
      throw new RuleInputException("rule " + name + ": a confirmation field is needed for, and only for, device-confirmed");
    }
    if ((merchant instanceof MerchantSource.Biller) != (amount instanceof AmountSource.BillLookup)) {
      throw new RuleInputException("rule " + name + ": the biller merchant and the bill-lookup amount go together");
    }
    Objects.requireNonNull(name);
  }
}
