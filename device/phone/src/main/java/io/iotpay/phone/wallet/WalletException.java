package io.iotpay.phone.wallet;

/** The issuer app could not make a payment code (the secure element refused); nothing was shown. */
public final class WalletException extends RuntimeException {
  public WalletException(String message) {
    super(message);
  }
}
