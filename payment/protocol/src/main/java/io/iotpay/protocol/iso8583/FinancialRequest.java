package io.iotpay.protocol.iso8583;

/**
 * 0200: approve and capture in one message (a purchase that clears without a separate presentment),
 * or, with field 62, a wallet online part pushed by the POS as the cardholder's agent.
 *
 * @param transaction the card data; never null
 * @param walletPart field 62, the card-signed wallet online part; null for any other 0200
 */
public record FinancialRequest(CardTransaction transaction, WalletPartData walletPart) implements Iso8583Message {
  public FinancialRequest {
    CardTransaction.required("transaction", transaction);
  }

  /** An 0200 without field 62. */
  public FinancialRequest(CardTransaction transaction) {
    this(transaction, null);
  }

  /** Whether this 0200 carries a wallet online part (field 62). */
  public boolean isWalletPart() {
    return walletPart != null;
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
