package io.iotpay.protocol.iso8583;

import static io.iotpay.protocol.iso8583.Iso8583Exception.Reason.FIELD_INVALID;

/**
 * 0120: tells the issuer of a decision taken without it (the switch's stand-in), so it posts it; or
 * 0220, the completion advice: the capture of the hold an approved 0100 placed, for the amount in
 * field 4 (at most the hold), the 0100 named in field 90.
 *
 * @param mti {@link Mti#AUTHORISATION_ADVICE} or {@link Mti#FINANCIAL_ADVICE}
 * @param transaction the card data of the request that was decided (an 0220: its own STAN and
 *     date-time, the amount captured); never null
 * @param responseCode the decision given to the acquirer; never null
 * @param approvalCode field 38, 6 printable characters, or null when declined
 * @param original field 90: the 0100 an 0220 completes; required for an 0220, absent for an 0120
 */
public record AdviceRequest(Mti mti, CardTransaction transaction, ResponseCode responseCode, String approvalCode,
    OriginalData original) implements Iso8583Message {
  /** @throws Iso8583Exception FIELD_MISSING or FIELD_INVALID */
  public AdviceRequest {
    CardTransaction.required("MTI", mti);
    if (mti != Mti.AUTHORISATION_ADVICE && mti != Mti.FINANCIAL_ADVICE) {
      throw new Iso8583Exception(FIELD_INVALID, "an advice is an 0120 or an 0220");
    }
    CardTransaction.required("transaction", transaction);
    CardTransaction.required("field 39 response code", responseCode);
    if (approvalCode != null) {
      FieldText.printable("field 38 approval code", approvalCode, 6);
    }
    if ((mti == Mti.FINANCIAL_ADVICE) != (original != null)) {
      throw new Iso8583Exception(FIELD_INVALID, "field 90 belongs in an 0220 and only there");
    }
    if (mti == Mti.FINANCIAL_ADVICE && (original.mti() != Mti.AUTHORISATION_REQUEST || transaction.pinBlock() != null)) {
      throw new Iso8583Exception(FIELD_INVALID, "an 0220 completes an 0100 and carries no PIN block");
    }
  }

  /** An 0120 (stand-in advice). */
  public AdviceRequest(CardTransaction transaction, ResponseCode responseCode, String approvalCode) {
    this(Mti.AUTHORISATION_ADVICE, transaction, responseCode, approvalCode, null);
  }

  /** An 0220 completing the 0100 named by {@code original}. */
  public static AdviceRequest completion(CardTransaction transaction, String approvalCode, OriginalData original) {
    return new AdviceRequest(Mti.FINANCIAL_ADVICE, transaction, ResponseCode.APPROVED, approvalCode, original);
  }

  @Override
  public int stan() {
    return transaction.stan();
  }

  @Override
  public String terminalId() {
    return transaction.terminalId();
  }
}
