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
import io.iotpay.terminal.pos.OnlineAuthoriser;
import io.iotpay.terminal.pos.PosJournal;
import io.iotpay.terminal.pos.PosOutcome;
import java.time.Clock;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * QR acceptance in the acquiring SDK. Merchant-presented: the merchant app shows a static code, or
 * a dynamic one for an order its acquirer issued ({@link #showCode}). Consumer-presented: the SDK
 * scans the cardholder's one-time code and authorises it like a card ({@link #chargeConsumerCode}):
 * an 0100 to the acquirer with the token as field 2 and the code's chip data as field 55; no answer
 * in time is reversed (0400) at once. docs/qr.md. Inside {@link PosSdk#chargeConsumerCode} the charge
 * is attested first and journaled in the SDK's POS journal (an ONLINE_REQUEST line before the 0100
 * leaves, a FINAL line before the outcome is shown), so a killed app's payment is completed or
 * reversed by the next {@link PosSdk#open}, as a tap's is.
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
   * @param responseCode field 39 (APPROVED, DECLINED), "91" (REVERSED), "30" (REFUSED: the code), or empty
   *     (REFUSED: the SDK's attestation, {@link PosSdk#chargeConsumerCode})
   * @param reason one line, never a PAN or token digits
   */
  public record Outcome(Result result, String responseCode, String reason, long transactionSequence) {}

  private final Iso8583OnlineAuthoriser authoriser;
  /** The authoriser, or the SDK's wrap around it. */
  private final OnlineAuthoriser link;
  private final String terminalId;
  private final String merchantId;
  private final LongSupplier sequence;
  /** Null: not journaled (a checkout on its own link, as in the demo and the bench). */
  private final PosJournal journal;
  private final Clock clock;

  /**
   * @param authoriser the link to the acquirer's terminal port (its own {@code SentRequests})
   * @param firstSequence the first transaction sequence (field 37) this checkout uses; keep it clear
   *     of the terminal's card taps, since a refund names a purchase by terminal and field 37
   */
  public QrCheckout(Iso8583OnlineAuthoriser authoriser, String terminalId, String merchantId, long firstSequence) {
    this(authoriser, authoriser, terminalId, merchantId, null, Clock.systemUTC(), firstSequence);
    Assert.that(firstSequence >= 1, "first sequence positive");
  }

  /** The SDK's checkout: sequences from {@code journal}, every charge journaled there. */
  QrCheckout(Iso8583OnlineAuthoriser authoriser, OnlineAuthoriser link, String terminalId, String merchantId,
      PosJournal journal, Clock clock) {
    this(authoriser, link, terminalId, merchantId, Assert.notNull(journal, "journal"), clock, 0);
  }

  private QrCheckout(Iso8583OnlineAuthoriser authoriser, OnlineAuthoriser link, String terminalId, String merchantId,
      PosJournal journal, Clock clock, long firstSequence) {
    this.authoriser = Assert.notNull(authoriser, "authoriser");
    this.link = Assert.notNull(link, "link");
    this.terminalId = Assert.notNull(terminalId, "terminalId");
    this.merchantId = Assert.notNull(merchantId, "merchantId");
    this.journal = journal;
    this.clock = Assert.notNull(clock, "clock");
    this.sequence = journal == null ? new AtomicLong(firstSequence)::getAndIncrement : journal::nextSequence;
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
    return charge(scan(scanned), amount);
  }

  /** A decoded consumer-presented code, or why it is refused. */
  record Scanned(CodeParts parts, String refusal) {
    boolean refused() {
      return parts == null;
    }
  }

  record CodeParts(Pan token, YearMonth expiry, QrPaymentData data) {}

  /** Decodes the code; nothing is sent and no sequence used. */
  static Scanned scan(String scanned) {
    ConsumerPresentedCode code;
    try {
      code = CpmCodec.decode(scanned);
    } catch (QrException e) {
      return new Scanned(null, "code refused: " + e.getMessage());
    }
    Optional<Pan> token = code.value(CpmTags.PAN).flatMap(QrCheckout::digits);
    Optional<YearMonth> expiry = code.value(io.iotpay.foundation.codec.Tag.of(0x5F24)).flatMap(QrCheckout::expiry);
    Optional<QrPaymentData> data = QrPaymentData.from(code.objects());
    if (token.isEmpty() || expiry.isEmpty() || data.isEmpty()) {
      return new Scanned(null, "code refused: no token, expiry or chip data");
    }
    return new Scanned(new CodeParts(token.get(), expiry.get(), data.get()), null);
  }

  /** Authorises a scanned code: journal (when journaled), 0100, journal, outcome; no answer is reversed at once. */
  Outcome charge(Scanned scanned, Money amount) {
    long seq = sequence.getAsLong();
    if (scanned.refused()) {
      return new Outcome(Result.REFUSED, "30", scanned.refusal(), seq);
    }
    CodeParts p = scanned.parts();
    AuthorisationRequest request = new AuthorisationRequest(p.data().encoded(), amount, p.token(), 0, terminalId,
        merchantId, seq, null, p.expiry());
    journal(seq, PosJournal.Stage.ONLINE_REQUEST, amount, p.token(), PosJournal.Authorisation.PENDING, "", null);
    AuthorisationResponse response = link.authorise(request);
    if (response instanceof AuthorisationResponse.Answered answered) {
      String rc = new String(answered.arc(), StandardCharsets.US_ASCII);
      boolean approved = answered.approved();
      journal(seq, PosJournal.Stage.FINAL, amount, p.token(),
          approved ? PosJournal.Authorisation.APPROVED : PosJournal.Authorisation.DECLINED, rc,
          approved ? PosOutcome.Reason.APPROVED_ONLINE : PosOutcome.Reason.DECLINED_BY_ISSUER);
      return new Outcome(approved ? Result.APPROVED : Result.DECLINED, rc,
          approved ? "approved" : "declined by the issuer", seq);
    }
    journal(seq, PosJournal.Stage.FINAL, amount, p.token(), PosJournal.Authorisation.NO_ANSWER, "",
        PosOutcome.Reason.DECLINED_UNABLE_TO_GO_ONLINE);
    Iso8583OnlineAuthoriser.ReversalResult reversal = authoriser.reverse(seq, ResponseCode.ISSUER_UNAVAILABLE);
    return new Outcome(Result.REVERSED, "91", "no answer in time; reversal " + reversal, seq);
  }

  /**
   * One journal line for a QR charge, as the kernel writes a tap's: the token masked (never in clear),
   * no AID, ATC or cryptograms; a FINAL without an approval (no answer) is marked for reversal.
   */
  private void journal(long seq, PosJournal.Stage stage, Money amount, Pan token, PosJournal.Authorisation auth,
      String arc, PosOutcome.Reason reason) {
    if (journal == null) {
      return;
    }
    boolean reversal = stage == PosJournal.Stage.FINAL && auth == PosJournal.Authorisation.NO_ANSWER;
    journal.append(new PosJournal.Entry(terminalId, seq, stage, clock.instant(), amount.amountMinor(),
        amount.currency().alphaCode(), token.masked(), "", 0, "", -1, "", "", PosOutcome.Cvm.NO_CVM, -1, "", auth,
        Hex.encode(arc.getBytes(StandardCharsets.US_ASCII)).toUpperCase(), -1, "", 0, 0, reason, reversal));
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
