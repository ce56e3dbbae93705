package io.iotpay.protocol.qr;

import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.Pan;
import java.util.Objects;

/**
 * What the cardholder's issuer app asks its issuer to pay after scanning a merchant-presented code:
 * a push credit of {@code amount} from the account behind {@code payerToken} to the merchant's QR
 * account. docs/qr.md, "Merchant-presented flow".
 *
 * @param paymentId the app's id of this payment, chosen once per payment and repeated on every
 *     retry (the issuer pays a payment id once); 1..40 characters [A-Za-z0-9-]
 * @param payerToken the cardholder's payment token (the app never holds the PAN)
 * @param merchantAccount the merchant's QR account number from the code's template (sub-ID 01)
 * @param amount the code's amount (dynamic) or the amount the cardholder keyed in (static)
 * @param reference the code's reference label (62.05, the acquirer's order), 12 characters, or
 *     null for a static code
 */
public record PushCreditOrder(String paymentId, Pan payerToken, Pan merchantAccount, Money amount, String reference) {
  public PushCreditOrder {
    Objects.requireNonNull(payerToken, "payerToken");
    Objects.requireNonNull(merchantAccount, "merchantAccount");
    Objects.requireNonNull(amount, "amount");
    if (paymentId == null || !paymentId.matches("[A-Za-z0-9-]{1,40}")) {
      throw new IllegalArgumentException("payment id must be 1..40 of [A-Za-z0-9-]");
    }
    if (reference != null && !reference.matches(QrMerchant.ORDER_REFERENCE_PATTERN)) {
      throw new IllegalArgumentException("reference must be an order reference (" + QrMerchant.ORDER_REFERENCE_PATTERN + ")");
    }
  }

  @Override
  public String toString() {
    return "PushCreditOrder[" + paymentId + ", payer=" + payerToken.masked() + ", merchant=" + merchantAccount.masked()
        + ", " + amount + ", reference=" + reference + "]";
  }
}
