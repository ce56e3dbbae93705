package io.iotpay.protocol.iso8583;

/**
 * 0100: ask the issuer to approve and hold an amount (the chip's ARQC travels in field 55).
 *
 * @param transaction the card data; never null
 */
public record AuthorisationRequest(CardTransaction transaction) implements Iso8583Message {
  public AuthorisationRequest {
    CardTransaction.required("transaction", transaction);
  }

  @Override
  public Mti mti() {
    return Mti.AUTHORISATION_REQUEST;
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
