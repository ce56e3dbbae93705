package io.iotpay.issuer.credit;

/**
 * A wallet cardholder, as the issuer numbers them (positive). Never a PAN: ratings and facts are
 * keyed by this number so the credit tables hold no card numbers.
 */
public record CardholderId(long value) implements Comparable<CardholderId> {
  public CardholderId {
    if (value <= 0) {
      throw new CreditInputException("cardholder id " + value + " is not positive");
    }
  }

  public static CardholderId of(long value) {
    return new CardholderId(value);
  }

  @Override
  public int compareTo(CardholderId other) {
    return Long.compare(value, other.value);
  }
}
