package io.iotpay.protocol.iso8583;

/**
 * 0120: tells the issuer of a decision taken without it (the switch's stand-in), so it posts it.
 *
 * @param transaction the card data of the request that was decided; never null
 * @param responseCode the decision given to the acquirer; never null
 * @param approvalCode field 38, 6 printable characters, or null when declined
 */
public record AdviceRequest(CardTransaction transaction, ResponseCode responseCode, String approvalCode)
    implements Iso8583Message {
  /** @throws Iso8583Exception FIELD_MISSING or FIELD_INVALID */
  public AdviceRequest {
    CardTransaction.required("transaction", transaction);
    CardTransaction.required("field 39 response code", responseCode);
    if (approvalCode != null) {
      FieldText.printable("field 38 approval code", approvalCode, 6);
    }
  }

  @Override
  public Mti mti() {
    return Mti.AUTHORISATION_ADVICE;
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
