package io.iotpay.platform.rules;

/** Whom a rule pays. */
public sealed interface MerchantSource {
  /** Always the same merchant (the detergent shop). */
  record Fixed(String merchantId) implements MerchantSource {}

  /** The merchant named in the event (the fuel station the car is at). */
  record FromField(String field) implements MerchantSource {}

  /** The biller whose bill is paid ({@link AmountSource.BillLookup} finds it). */
  record Biller() implements MerchantSource {}
}
