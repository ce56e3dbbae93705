package io.iotpay.protocol.iso8583;

import static io.iotpay.protocol.iso8583.Iso8583Exception.Reason.FIELD_INVALID;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.Pan;

/**
 * 0110, 0130, 0210, 0230, 0410 or 0430: the answer to a card request. It echoes the request's keys
 * (2, 3, 4, 7, 11, 32, 37, 41, 42, 49, and 90 for reversals) and adds the decision.
 *
 * @param mti one of the five card response types
 * @param pan field 2
 * @param processingCode field 3
 * @param amount fields 4 and 49
 * @param transmittedAt field 7
 * @param stan field 11
 * @param acquirerId field 32
 * @param rrn field 37
 * @param approvalCode field 38 (6 printable characters), or null (declines, reversal answers)
 * @param responseCode field 39
 * @param terminalId field 41
 * @param merchantId field 42
 * @param iccData field 55 (the issuer's ARPC and scripts), or null
 * @param original field 90, required for 0410/0430 and absent otherwise
 */
public record CardResponse(
    Mti mti,
    Pan pan,
    String processingCode,
    Money amount,
    MonthDayTime transmittedAt,
    int stan,
    String acquirerId,
    String rrn,
    String approvalCode,
    ResponseCode responseCode,
    String terminalId,
    String merchantId,
    IccData iccData,
    OriginalData original)
    implements Iso8583Message {

  /** @throws Iso8583Exception FIELD_MISSING or FIELD_INVALID naming the first field at fault */
  public CardResponse {
    CardTransaction.required("MTI", mti);
    boolean reversal = mti == Mti.REVERSAL_RESPONSE || mti == Mti.REVERSAL_ADVICE_RESPONSE;
    if (mti.isRequest() || mti == Mti.NETWORK_MANAGEMENT_RESPONSE) {
      throw new Iso8583Exception(FIELD_INVALID, "a card response is an 0110, 0130, 0210, 0230, 0410 or 0430");
    }
    CardTransaction.required("field 2 PAN", pan);
    FieldText.digits("field 3 processing code", processingCode, 6);
    CardTransaction.checkAmount(amount);
    CardTransaction.required("field 7 transmission date-time", transmittedAt);
    CardTransaction.checkStan(stan);
    FieldText.digitsUpTo("field 32 acquirer id", acquirerId, 11);
    FieldText.printable("field 37 RRN", rrn, 12);
    if (approvalCode != null) {
      FieldText.printable("field 38 approval code", approvalCode, 6);
    }
    CardTransaction.required("field 39 response code", responseCode);
    FieldText.printable("field 41 terminal id", terminalId, 8);
    FieldText.printable("field 42 merchant id", merchantId, 15);
    if (reversal != (original != null)) {
      throw new Iso8583Exception(FIELD_INVALID, "field 90 belongs in 0410/0430 and only there");
    }
  }

  /**
   * The response to a card {@code request}, echoing its keys.
   *
   * @param approvalCode null or 6 printable characters
   * @param iccData null or the issuer's chip data
   * @throws AssertionError when {@code request} is not a card request (a programmer error)
   */
  public static CardResponse answering(Iso8583Message request, ResponseCode code, String approvalCode, IccData iccData) {
    CardTransaction t = switch (request) {
      case AuthorisationRequest r -> r.transaction();
      case FinancialRequest r -> r.transaction();
      case AdviceRequest r -> r.transaction();
      case ReversalRequest r -> r.transaction();
      case CardResponse r -> throw Assert.unreachable("a response is not answered");
      case AccountVerificationRequest r -> throw Assert.unreachable("use AccountVerificationResponse.answering");
      case AccountVerificationResponse r -> throw Assert.unreachable("a response is not answered");
      case NetworkManagementRequest r -> throw Assert.unreachable("an 0800 is answered by an 0810");
      case NetworkManagementResponse r -> throw Assert.unreachable("a response is not answered");
    };
    OriginalData original = request instanceof ReversalRequest r ? r.original() : null;
    return new CardResponse(request.mti().responseType(), t.pan(), t.processingCode(), t.amount(),
        t.transmittedAt(), t.stan(), t.acquirerId(), t.rrn(), approvalCode, code, t.terminalId(),
        t.merchantId(), iccData, original);
  }
}
