package io.iotpay.protocol.iso8583;

import io.iotpay.foundation.money.CurrencyUnit;

/**
 * 0110 answering an {@link AccountVerificationRequest}: it echoes the request's fields (3, 4, 7,
 * 11, 32, 37, 41, 49, 100, 103) and adds the decision: 00 the account is held and open, 14 no such
 * account, 46 closed, 62 blocked (restricted), 91 the bank did not answer (from the switch), 15 no
 * such bank in the scheme. {@link #toString()} masks the account number.
 *
 * @param approvalCode field 38, 6 printable characters, or null
 * @param responseCode field 39
 */
public record AccountVerificationResponse(
    MonthDayTime transmittedAt,
    int stan,
    String acquirerId,
    String rrn,
    String approvalCode,
    ResponseCode responseCode,
    String terminalId,
    String receivingInstitution,
    String accountNumber,
    CurrencyUnit currency)
    implements Iso8583Message {

  /** @throws Iso8583Exception FIELD_MISSING or FIELD_INVALID naming the first field at fault */
  public AccountVerificationResponse {
    AccountVerificationRequest.checkEchoed(transmittedAt, stan, acquirerId, rrn, terminalId, receivingInstitution,
        accountNumber, currency);
    if (approvalCode != null) {
      FieldText.printable("field 38 approval code", approvalCode, 6);
    }
    CardTransaction.required("field 39 response code", responseCode);
  }

  /** The answer to {@code request} with {@code code}; {@code approvalCode} null or 6 printable characters. */
  public static AccountVerificationResponse answering(AccountVerificationRequest request, ResponseCode code,
      String approvalCode) {
    return new AccountVerificationResponse(request.transmittedAt(), request.stan(), request.acquirerId(), request.rrn(),
        approvalCode, code, request.terminalId(), request.receivingInstitution(), request.accountNumber(),
        request.currency());
  }

  /** Whether this answers {@code request}: the same identity and the same account at the same bank. */
  public boolean answers(AccountVerificationRequest request) {
    return stan == request.stan() && terminalId.equals(request.terminalId()) && acquirerId.equals(request.acquirerId())
        && transmittedAt.equals(request.transmittedAt()) && receivingInstitution.equals(request.receivingInstitution())
        && accountNumber.equals(request.accountNumber());
  }

  @Override
  public Mti mti() {
    return Mti.AUTHORISATION_RESPONSE;
  }

  @Override
  public String toString() {
    return "AccountVerificationResponse[stan=" + stan + ", terminal=" + terminalId + ", code=" + responseCode.code()
        + ", institution=" + receivingInstitution + ", account=" + AccountVerificationRequest.mask(accountNumber) + "]";
  }
}
