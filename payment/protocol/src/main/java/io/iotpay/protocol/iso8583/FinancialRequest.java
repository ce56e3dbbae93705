package io.iotpay.protocol.iso8583;

/**
 * 0200: approve and capture in one message (a purchase that clears without a separate presentment).
 *
 * @param transaction the card data; never null
 */
public record FinancialRequest(CardTransaction transaction) implements Iso8583Message {
  public FinancialRequest {
    CardTransaction.required("transaction", transaction);
  }

  @Override
  public Mti mti() {
    return Mti.FINANCIAL_REQUEST;
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
