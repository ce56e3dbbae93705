package io.iotpay.protocol.qr;

import java.util.Objects;

/**
 * The issuer's answer to a {@link PushCreditOrder}.
 *
 * @param paid true when the merchant's acquirer credited the merchant (and the payer was debited once)
 * @param responseCode the ISO 8583 field 39 the payment ended with ("00" paid; "51" funds, "13"
 *     amount not the order's, "12" no such order or already paid, "14" unknown account, "91" no answer ...)
 * @param reason one line for the app's screen; never a PAN or a key
 */
public record PushCreditOutcome(boolean paid, String responseCode, String reason) {
  public PushCreditOutcome {
    Objects.requireNonNull(responseCode, "responseCode");
    Objects.requireNonNull(reason, "reason");
  }
}
