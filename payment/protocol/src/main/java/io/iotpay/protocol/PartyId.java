package io.iotpay.protocol;

/**
 * A participant of the scheme: an issuer, an acquirer (e.g. a metro operator), the switch.
 *
 * @param value 1..16 characters of {@code A-Z 0-9 -}
 */
public record PartyId(String value) {
  /** @throws ProtocolException when the value is null or not 1..16 of A-Z, 0-9, '-' */
  public PartyId {
    if (!IdentifierText.isUpperAlphanumeric(value, 16, true)) {
      throw new ProtocolException("party id '" + value + "' is not 1..16 characters of A-Z, 0-9, '-'");
    }
  }

  public static PartyId of(String value) {
    return new PartyId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
