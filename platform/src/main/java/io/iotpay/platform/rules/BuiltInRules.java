package io.iotpay.platform.rules;

/**
 * The seed's three scenarios as a rule book (the same JSON an operator would load):
 * <ul>
 *   <li>the washing machine re-orders one bottle of detergent from the shop when the level falls below
 *       15 %, one order at a time and one per low-level episode;
 *   <li>the car head unit pays fuel and parking: the merchant and its amount come from the event (the
 *       pump or the car park told the car), confirmed by the driver on the head unit;
 *   <li>the smart speaker pays the utility bill the user names by voice: the amount is looked up at the
 *       biller, and the user confirms in the app above the mandate's threshold.
 * </ul>
 */
public final class BuiltInRules {
  public static final String WASHER = "washing-machine";
  public static final String CAR = "car-head-unit";
  public static final String SPEAKER = "smart-speaker";
  public static final String DETERGENT_SHOP = "detergent-shop";

  public static final String JSON = """
      {"rules": [
        {"name": "washer.detergent-reorder", "deviceType": "washing-machine",
         "trigger": {"kind": "level-below", "field": "detergentLevelPercent", "threshold": 15},
         "merchant": {"kind": "fixed", "merchantId": "detergent-shop"},
         "amount": {"kind": "fixed", "amount": "39.90 CNY"},
         "confirmation": {"kind": "mandate-threshold"},
         "oneOrderAtATime": true},
        {"name": "car.fuel", "deviceType": "car-head-unit",
         "trigger": {"kind": "field-equals", "field": "event", "value": "fuel-dispensed"},
         "merchant": {"kind": "from-field", "field": "merchantId"},
         "amount": {"kind": "from-fields", "amountField": "amountMinor", "currencyField": "currency"},
         "confirmation": {"kind": "device-confirmed", "field": "driverConfirmed"},
         "referenceField": "pumpSession"},
        {"name": "car.parking", "deviceType": "car-head-unit",
         "trigger": {"kind": "field-equals", "field": "event", "value": "parking-ended"},
         "merchant": {"kind": "from-field", "field": "merchantId"},
         "amount": {"kind": "from-fields", "amountField": "amountMinor", "currencyField": "currency"},
         "confirmation": {"kind": "device-confirmed", "field": "driverConfirmed"},
         "referenceField": "parkingTicket"},
        {"name": "speaker.utility-bill", "deviceType": "smart-speaker",
         "trigger": {"kind": "field-equals", "field": "intent", "value": "pay-bill"},
         "merchant": {"kind": "biller"},
         "amount": {"kind": "bill-lookup", "billerField": "biller", "customerField": "customerRef"},
         "confirmation": {"kind": "mandate-threshold"}}
      ]}
      """;

  private BuiltInRules() {}

  /** The built-in rule book. */
  public static RuleBook book() {
    return RuleBook.fromJson(JSON);
  }
}
