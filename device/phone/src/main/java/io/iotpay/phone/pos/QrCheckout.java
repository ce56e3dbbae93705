package io.iotpay.phone.pos;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.qr.ConsumerPresentedCode;
import io.iotpay.protocol.qr.CpmCodec;
import io.iotpay.protocol.qr.CpmTags;
import io.iotpay.protocol.qr.MerchantPresentedCode;
import io.iotpay.protocol.qr.QrException;
import io.iotpay.protocol.qr.QrMerchant;
import io.iotpay.protocol.qr.QrPaymentData;
import io.iotpay.terminal.pos.AuthorisationRequest;
import io.iotpay.terminal.pos.AuthorisationResponse;
import io.iotpay.terminal.pos.Iso8583OnlineAuthoriser;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * QR acceptance in the acquiring SDK. Merchant-presented: the merchant app shows a static code, or
 * a dynamic one for an order its acquirer issued ({@link #showCode}). Consumer-presented: the SDK
 * scans the cardholder's one-time code and authorises it like a card ({@link #chargeConsumerCode}):
 * an 0100 to the acquirer with the token as field 2 and the code's chip data as field 55; no answer
 * in time is reversed (0400) at once. docs/qr.md.
 */
public final class QrCheckout {
  /** How a consumer-presented charge ended. */
  public enum Result {
    APPROVED,
    DECLINED,
    /** No answer in time: the 0400 was sent (ACKNOWLEDGED or left to the acquirer's own reversal). */
    REVERSED,
    /** The code failed a check before anything was sent. */
    REFUSED
  }

  /**
   * @param responseCode field 39 (APPROVED, DECLINED), "91" (REVERSED) or "30" (REFUSED)
   * @param reason one line, never a PAN or token digits
   */
  public record Outcome(Result result, String responseCode, String reason, long transactionSequence) {}

  private final Iso8583OnlineAuthoriser authoriser;
  private final String terminalId;
  private final String merchantId;
  private final AtomicLong sequence;

  /**
   * @param authoriser the link to the acquirer's terminal port (its own {@code SentRequests})
   * @param firstSequence the first transaction sequence (field 37) this checkout uses; keep it clear
   *     of the terminal's card taps, since a refund names a purchase by terminal and field 37
   */
  public QrCheckout(Iso8583OnlineAuthoriser authoriser, String terminalId, String merchantId, long firstSequence) {
    this.authoriser = Assert.notNull(authoriser, "authoriser");
    this.terminalId = Assert.notNull(terminalId, "terminalId");
    this.merchantId = Assert.notNull(merchantId, "merchantId");
    Assert.that(firstSequence >= 1, "first sequence positive");
    this.sequence = new AtomicLong(firstSequence);
  }

  /**
   * The merchant's code: static when {@code amount} is null, else dynamic for the acquirer's order
   * {@code reference}.
   */
  public static MerchantPresentedCode showCode(String merchantName, String city, String mcc, Pan account, Money amount,
      String reference) {
    return QrMerchant.code(merchantName, city, mcc, account, amount, reference);
  }

  /**
   * Authorises {@code amount} on a scanned consumer-presented code. A code that does not decode, or
   * lacks the token (5A), its expiry (5F24) or the chip data, is REFUSED and nothing is sent.
   */
  public Outcome chargeConsumerCode(String scanned, Money amount) {
    long seq = sequence.getAndIncrement();
    ConsumerPresentedCode code;
    try {
      code = CpmCodec.decode(scanned);
    } catch (QrException e) {
      return new Outcome(Result.REFUSED, "30", "code refused: " + e.getMessage(), seq);
    }
    Optional<Pan> token = code.value(CpmTags.PAN).flatMap(QrCheckout::digits);
    Optional<YearMonth> expiry = code.value(io.iotpay.foundation.codec.Tag.of(0x5F24)).flatMap(QrCheckout::expiry);
    Optional<QrPaymentData> data = QrPaymentData.from(code.objects());
    if (token.isEmpty() || expiry.isEmpty() || data.isEmpty()) {
      return new Outcome(Result.REFUSED, "30", "code refused: no token, expiry or chip data", seq);
    }
    AuthorisationRequest request = new AuthorisationRequest(data.get().encoded(), amount, token.get(), 0, terminalId,
        merchantId, seq, null, expiry.get());
    AuthorisationResponse response = authoriser.authorise(request);
    if (response instanceof AuthorisationResponse.Answered answered) {
      String rc = new String(answered.arc(), StandardCharsets.US_ASCII);
      return new Outcome(answered.approved() ? Result.APPROVED : Result.DECLINED, rc,
          answered.approved() ? "approved" : "declined by the issuer", seq);
    }
    Iso8583OnlineAuthoriser.ReversalResult reversal = authoriser.reverse(seq, ResponseCode.ISSUER_UNAVAILABLE);
    return new Outcome(Result.REVERSED, "91", "no answer in time; reversal " + reversal, seq);
  }

  private static Optional<Pan> digits(byte[] bcd) {
    String hex = Hex.encode(bcd);
    int pad = hex.indexOf('F');
    try {
      return Optional.of(Pan.of(pad < 0 ? hex : hex.substring(0, pad)));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<YearMonth> expiry(byte[] yymmdd) {
    String hex = Hex.encode(yymmdd);
    if (yymmdd.length != 3 || !hex.matches("[0-9]{6}")) {
      return Optional.empty();
    }
    int month = Integer.parseInt(hex.substring(2, 4));
    return month < 1 || month > 12 ? Optional.empty()
        : Optional.of(YearMonth.of(2000 + Integer.parseInt(hex.substring(0, 2)), month));
  }
}
