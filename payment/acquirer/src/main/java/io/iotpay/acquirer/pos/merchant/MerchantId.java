package io.iotpay.acquirer.pos.merchant;

import java.util.regex.Pattern;

/** A merchant's id at the acquirer: {@code m-} and 16 lower-case hex digits, chosen at registration. */
public record MerchantId(String value) {
  private static final Pattern FORM = Pattern.compile("m-[0-9a-f]{16}");

  /** @throws OnboardingException INVALID_FIELD when {@code value} is not of the form */
  public MerchantId {
    if (value == null || !FORM.matcher(value).matches()) {
      throw new OnboardingException(OnboardingException.Reason.INVALID_FIELD, "merchant id must be m- and 16 lower-case hex digits");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
