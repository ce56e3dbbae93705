package io.iotpay.acquirer.pos.merchant;

import java.util.regex.Pattern;

/**
 * A terminal's id: 8 digits, the width of ISO 8583 field 41 (card acceptor terminal id), so the
 * authorisation path can carry it unchanged.
 */
public record TerminalId(String value) {
  private static final Pattern FORM = Pattern.compile("[0-9]{8}");

  /** @throws OnboardingException INVALID_FIELD when {@code value} is not 8 digits */
  public TerminalId {
    if (value == null || !FORM.matcher(value).matches()) {
      throw new OnboardingException(OnboardingException.Reason.INVALID_FIELD, "terminal id must be 8 digits");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
