package io.iotpay.platform.mandate;

/** A mandate's identifier, assigned by {@link MandateRegistry#bind}. @param value 1..64 of [A-Za-z0-9-] */
public record MandateId(String value) {
  /** @throws MandateException when malformed */
  public MandateId {
    Merchant.requireId(value, "mandate id");
  }

  @Override
  public String toString() {
    return value;
  }
}
