package io.iotpay.issuer.credit;

import java.util.Objects;

/**
 * Why a score is not higher, in the style of adverse-action reasons: a stable code that systems
 * store and a sentence a cardholder can read.
 *
 * @param code e.g. {@code CR06}, stable across scorecard versions
 * @param sentence the explanation in plain words
 */
public record ReasonCode(String code, String sentence) {
  public ReasonCode {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(sentence, "sentence");
  }
}
