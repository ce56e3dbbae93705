package io.iotpay.platform.decision;

import java.util.regex.Pattern;

/**
 * One reason recorded with a decision.
 *
 * @param code a {@link io.iotpay.platform.mandate.MandateRefusal}, {@link io.iotpay.platform.risk.RiskSignal}
 *     or decision code ({@code CONFIRMATION_THRESHOLD}, {@code CONFIRMED_ON_DEVICE}, {@code RULE_REQUIRES_USER},
 *     {@code USER_APPROVED}, {@code USER_DECLINED}, {@code INSUFFICIENT_FUNDS}, {@code ISSUER_REFUSED}); 1..64 of [A-Z0-9_]
 * @param detail for people, at most 512 characters, never a secret
 */
public record DecisionReason(String code, String detail) {
  private static final Pattern REASON_CODE = Pattern.compile("[A-Z0-9_]{1,64}");
  public static final int DETAIL_CHARS_MAX = 512;

  /** @throws DecisionInputException for a malformed code or a missing detail */
  public DecisionReason {
    if (code == null || !REASON_CODE.matcher(code).matches()) {
      throw new DecisionInputException("decision reason code '" + code + "' is not 1..64 of A-Z 0-9 _");
    }
    if (detail == null) {
      throw new DecisionInputException("decision reason " + code + " without detail");
    }
    if (detail.length() > DETAIL_CHARS_MAX) {
      detail = detail.substring(0, DETAIL_CHARS_MAX);
    }
  }
}
