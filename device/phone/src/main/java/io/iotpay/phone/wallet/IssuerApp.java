package io.iotpay.phone.wallet;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.codec.Tag;
import io.iotpay.foundation.codec.Tlv;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.qr.ConsumerPresentedCode;
import io.iotpay.protocol.qr.CpmCodec;
import io.iotpay.protocol.qr.CpmTags;
import io.iotpay.protocol.qr.MerchantPresentedCode;
import io.iotpay.protocol.qr.MpmCodec;
import io.iotpay.protocol.qr.PushCreditOrder;
import io.iotpay.protocol.qr.PushCreditOutcome;
import io.iotpay.protocol.qr.QrException;
import io.iotpay.protocol.qr.QrMerchant;
import io.iotpay.protocol.qr.QrPaymentData;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The cardholder's issuer app on the phone: it shows consumer-presented payment codes whose
 * cryptogram the phone's secure element makes ({@code card.se.QrTokenApplet}), and it pays
 * merchant-presented codes it scans by asking its issuer for a push credit. It holds the payment
 * token, never the PAN. docs/qr.md.
 */
public final class IssuerApp {
  /** The payment-token applet's AID in the phone's SE. */
  public static final byte[] TOKEN_APPLET_AID = Hex.decode("A0000009990301");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The issuer's push-credit service as the app reaches it (HTTPS to its issuer on a phone; a call in tests). */
  public interface PushCredits {
    PushCreditOutcome pay(PushCreditOrder order);
  }

  private final CardChannel se;
  private final Pan token;
  private final YearMonth tokenExpiry;
  private final PushCredits issuer;
  private final Clock clock;

  /**
   * @param se the channel to the phone's secure element holding the token's applet
   * @param token the payment token the issuer provisioned (never the PAN)
   * @param tokenExpiry the token's expiry month
   * @param issuer the issuer's push-credit service
   */
  public IssuerApp(CardChannel se, Pan token, YearMonth tokenExpiry, PushCredits issuer, Clock clock) {
    this.se = Assert.notNull(se, "se");
    this.token = Assert.notNull(token, "token");
    this.tokenExpiry = Assert.notNull(tokenExpiry, "tokenExpiry");
    this.issuer = Assert.notNull(issuer, "issuer");
    this.clock = Assert.notNull(clock, "clock");
  }

  /**
   * A one-time consumer-presented code: 85 CPV01, then 61 with the application (4F, 50), the token
   * (5A) and the transparent template 63 holding the token's expiry (5F24) and the chip data the SE
   * made now ({@link QrPaymentData}). Each call advances the token's ATC in the SE.
   *
   * @throws WalletException when the SE refuses (its status word in the message)
   */
  public String paymentCode() {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    byte[] un = new byte[4];
    RANDOM.nextBytes(un);
    byte[] answer = generate(QrPaymentData.codeData(now, un));
    int atc = ((answer[0] & 0xFF) << 8) | (answer[1] & 0xFF);
    byte[] cryptogram = java.util.Arrays.copyOfRange(answer, 2, 10);
    QrPaymentData data = new QrPaymentData(now, un, atc, cryptogram);
    List<Tlv> transparent = new ArrayList<>();
    transparent.add(Tlv.primitive(Tag.of(0x5F24), Hex.decode(String.format("%02d%02d%02d",
        tokenExpiry.getYear() % 100, tokenExpiry.getMonthValue(), tokenExpiry.atEndOfMonth().getDayOfMonth()))));
    transparent.addAll(data.objects());
    Tlv application = Tlv.constructed(CpmTags.APPLICATION_TEMPLATE,
        Tlv.primitive(CpmTags.ADF_NAME, QrMerchant.CPM_AID),
        Tlv.primitive(Tag.of(0x50), QrMerchant.CPM_LABEL.getBytes(StandardCharsets.US_ASCII)),
        Tlv.primitive(CpmTags.PAN, Hex.decode(token.digits().length() % 2 == 0 ? token.digits() : token.digits() + "F")),
        new Tlv.Constructed(CpmTags.APPLICATION_TRANSPARENT_TEMPLATE, transparent));
    ConsumerPresentedCode code = CpmCodec.encode(List.of(
        Tlv.primitive(CpmTags.PAYLOAD_FORMAT_INDICATOR, CpmCodec.PAYLOAD_FORMAT.getBytes(StandardCharsets.US_ASCII)),
        application));
    return code.text();
  }

  /**
   * Scans a merchant-presented code and pays it: the code is decoded and checked (CRC, fields, the
   * scheme's account template, the currency); a dynamic code is paid for its own amount, which the
   * app never changes ({@code keyedAmount} must then be null or equal to it); a static code for the
   * amount the cardholder keyed in. A code that fails a check is refused here and nothing is sent.
   *
   * @param paymentId the app's id of this payment, the same on every retry of it
   * @return the issuer's outcome, or a refusal with code "30" and the codec's reason
   */
  public PushCreditOutcome payMerchantCode(String scanned, Money keyedAmount, String paymentId) {
    MerchantPresentedCode code;
    Pan account;
    try {
      code = MpmCodec.decode(scanned);
      account = QrMerchant.account(code);
    } catch (QrException e) {
      return new PushCreditOutcome(false, "30", "code refused: " + e.getMessage());
    }
    Money amount;
    if (code.isDynamic()) {
      if (code.amount().isEmpty() || QrMerchant.reference(code).isEmpty()) {
        return new PushCreditOutcome(false, "30", "code refused: a dynamic code without amount or order reference");
      }
      amount = code.amount().get();
      if (keyedAmount != null && !keyedAmount.equals(amount)) {
        return new PushCreditOutcome(false, "13", "a dynamic code's amount cannot be changed");
      }
    } else {
      if (keyedAmount == null || !keyedAmount.isPositive() || !keyedAmount.currency().equals(code.currency())) {
        return new PushCreditOutcome(false, "13", "a static code needs a positive amount in " + code.currency());
      }
      amount = keyedAmount;
    }
    return issuer.pay(new PushCreditOrder(paymentId, token, account, amount,
        code.isDynamic() ? QrMerchant.reference(code).get() : null));
  }

  private byte[] generate(byte[] codeData) {
    ResponseApdu select = se.transmit(new CommandApdu(0x00, 0xA4, 0x04, 0x00, TOKEN_APPLET_AID, 256));
    if (select.sw() != 0x9000) {
      throw new WalletException("secure element: SELECT answered " + String.format("%04X", select.sw()));
    }
    ResponseApdu r = se.transmit(new CommandApdu(0x80, 0xC2, 0x00, 0x00, codeData, 256));
    if (r.sw() != 0x9000 || r.data().length != 10) {
      throw new WalletException("secure element: GENERATE CODE CRYPTOGRAM answered " + String.format("%04X", r.sw()));
    }
    return r.data();
  }
}
