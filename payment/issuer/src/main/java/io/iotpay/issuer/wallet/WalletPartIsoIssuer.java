package io.iotpay.issuer.wallet;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.issuer.deposit.DepositAccounts;
import io.iotpay.protocol.iso8583.AccountVerificationRequest;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.FinancialRequest;
import io.iotpay.protocol.iso8583.Iso8583Message;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.iso8583.WalletPartData;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wallet issuer's ISO 8583 front (what its {@code Iso8583Server} calls): an 0200 carrying a
 * wallet online part in field 62 is handed to {@link WalletOnlineParts#apply} and answered with the
 * outcome's code from {@link #CODES}. Field 4 must be the part's online amount and field 2 the card's
 * wallet PAN ({@link WalletPartData#panOf}), else it is refused 63 and nothing moves (an inflated 0200
 * around a genuine part gets no money). A repeat of a part gets the stored outcome's code again.
 * An account verification (the acquirer's penny test of a merchant's settlement account, routed here
 * because this issuer is also the merchants' bank) is answered from its {@link DepositAccounts}.
 * Anything else is answered 12.
 */
public final class WalletPartIsoIssuer {
  private static final Logger LOG = LoggerFactory.getLogger(WalletPartIsoIssuer.class);

  /** Each outcome's response code: the POS maps them back one to one. */
  public static final Map<OnlinePartOutcome, ResponseCode> CODES = Map.of(
      OnlinePartOutcome.COMPLETED, ResponseCode.APPROVED,
      OnlinePartOutcome.FAILED, ResponseCode.INSUFFICIENT_FUNDS,
      OnlinePartOutcome.REFUSED, ResponseCode.SECURITY_VIOLATION);

  private final WalletOnlineParts parts;
  private final DepositAccounts deposits;

  /**
   * @param parts the issuer's online parts (ledger and dedup store); never null
   * @param deposits the deposit accounts it holds as a bank (merchants' settlement accounts); never null
   */
  public WalletPartIsoIssuer(WalletOnlineParts parts, DepositAccounts deposits) {
    this.parts = parts;
    this.deposits = deposits;
  }

  /** The deposit accounts this issuer answers account verifications from. */
  public DepositAccounts deposits() {
    return deposits;
  }

  /**
   * Answers one request; never throws for bad input (a malformed part is refused 63).
   *
   * @throws IllegalStateException when the issuer's database or ledger cannot be reached (no answer
   *     goes back; the POS pushes again)
   */
  public Iso8583Message handle(Iso8583Message request) {
    if (request instanceof AccountVerificationRequest verification) {
      return deposits.verify(verification);
    }
    if (!(request instanceof FinancialRequest financial && financial.isWalletPart())) {
      return CardResponse.answering(request, ResponseCode.INVALID_TRANSACTION, null, null);
    }
    OnlinePartOutcome outcome = outcome(financial);
    return CardResponse.answering(financial, CODES.get(outcome), null, null);
  }

  private OnlinePartOutcome outcome(FinancialRequest request) {
    SignedOnlinePart part;
    try {
      part = SignedOnlinePart.decode(request.walletPart().value());
    } catch (IllegalArgumentException e) {
      LOG.info("Wallet part 0200 refused: field 62 is not a signed online part [stan={}]", request.stan());
      return OnlinePartOutcome.REFUSED;
    }
    long field4 = request.transaction().amount().amountMinor();
    boolean sameCurrency = request.transaction().amount().currency().numericCode() == part.currencyNumeric();
    boolean samePan = request.transaction().pan().equals(WalletPartData.panOf(Hex.decode(part.cardIdHex())));
    if (field4 != part.onlineMinor() || !sameCurrency || !samePan) {
      LOG.warn("Wallet part 0200 refused: fields 2/4/49 disagree with the signed part [stan={}, field4Minor={},"
          + " partMinor={}]", request.stan(), field4, part.onlineMinor());
      return OnlinePartOutcome.REFUSED;
    }
    return parts.apply(part);
  }
}
