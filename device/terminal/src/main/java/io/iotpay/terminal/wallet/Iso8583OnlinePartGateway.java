package io.iotpay.terminal.wallet;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.FinancialRequest;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.MonthDayTime;
import io.iotpay.protocol.iso8583.Mti;
import io.iotpay.protocol.iso8583.Outcome;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.iso8583.WalletPartData;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The POS's {@link OnlinePartGateway} over ISO 8583: each push is a new 0200 (its own STAN and
 * field 7) to the acquirer on the terminal's MACed link, field 2 the card's wallet PAN
 * ({@link WalletPartData#panOf}), field 4 the part's online amount, field 62 the card-signed bytes
 * (signature input ‖ card signature). The acquirer relays it through the switch to the wallet
 * issuer. 00, 51 and 63 are the issuer's definitive answers ({@link #ANSWERS}); any other code (91:
 * the issuer did not answer, the switch does not stand in for a wallet part) or no answer at all
 * leaves the part pending on the POS, which pushes it again later as a repeat.
 */
public final class Iso8583OnlinePartGateway implements OnlinePartGateway {
  private static final Logger LOG = LoggerFactory.getLogger(Iso8583OnlinePartGateway.class);
  /** The issuer's definitive codes; the wallet issuer answers exactly these. */
  public static final Map<ResponseCode, Answer> ANSWERS = Map.of(
      ResponseCode.APPROVED, Answer.COMPLETED,
      ResponseCode.INSUFFICIENT_FUNDS, Answer.FAILED,
      ResponseCode.SECURITY_VIOLATION, Answer.REFUSED);
  /** Processing code: a purchase (the online part is a debit of the cardholder's online account). */
  static final String PROCESSING_CODE = "000000";
  /** Field 22: contactless chip, as the card was tapped. */
  static final String POS_ENTRY_MODE = "071";
  /** Wallet cards carry no expiry: field 14 holds this placeholder, which the wallet issuer does not read. */
  static final YearMonth NO_EXPIRY = YearMonth.of(2099, 12);
  private static final long RRN_MOD = 10_000_000_000L;

  private final Iso8583Client client;
  private final String acquirerId;
  private final String terminalId;
  private final String merchantId;
  private final Clock clock;

  /**
   * @param client the terminal's link to its acquirer; not closed here
   * @param acquirerId field 32 (the acquirer replaces it)
   * @param terminalId field 41, the terminal id the acquirer enrolled
   * @param merchantId field 42 (the acquirer replaces it with the merchant's acceptor id)
   */
  public Iso8583OnlinePartGateway(Iso8583Client client, String acquirerId, String terminalId, String merchantId,
      Clock clock) {
    this.client = client;
    this.acquirerId = acquirerId;
    this.terminalId = terminalId;
    this.merchantId = merchantId;
    this.clock = clock;
  }

  @Override
  public Optional<Answer> push(CardDebit part) {
    byte[] signed = ByteBuffer.allocate(CardDebit.INPUT_LENGTH + part.cardSignature().length)
        .put(part.signatureInput()).put(part.cardSignature()).array();
    CardTransaction t = new CardTransaction(WalletPartData.panOf(part.cardId()), PROCESSING_CODE,
        Money.ofMinor(part.onlineMinor(), CurrencyUnit.ofNumeric(part.currencyNumeric())),
        MonthDayTime.utc(clock.instant()), client.nextStan(),
        MonthDayTime.of(LocalDateTime.ofInstant(clock.instant(), clock.getZone())), NO_EXPIRY, POS_ENTRY_MODE, null,
        acquirerId, "WP" + String.format("%010d", part.counter() % RRN_MOD), terminalId, merchantId, null, null);
    Outcome outcome = client.send(new FinancialRequest(t, new WalletPartData(signed)));
    if (!(outcome instanceof Outcome.Answered answered && answered.response() instanceof CardResponse response
        && response.mti() == Mti.FINANCIAL_RESPONSE)) {
      LOG.info("Online part unanswered, kept [terminal={}, counter={}, outcome={}]", terminalId, part.counter(),
          outcome.getClass().getSimpleName());
      return Optional.empty();
    }
    Optional<Answer> answer = Optional.ofNullable(ANSWERS.get(response.responseCode()));
    if (answer.isEmpty()) {
      LOG.info("Online part not decided, kept [terminal={}, counter={}, code={}]", terminalId, part.counter(),
          response.responseCode().code());
    }
    return answer;
  }
}
