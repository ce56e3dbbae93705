package io.iotpay.protocol;

import java.util.regex.Pattern;

/**
 * A participant of the scheme: an issuer, an acquirer (e.g. a metro operator), the switch.
 *
 * @param value 1..16 characters of {@code A-Z 0-9 -}
 */
public record PartyId(String value) {
  private static final Pattern FORMAT = Pattern.compile("[A-Z0-9-]{1,16}");

  /** @throws ProtocolException when the value is null or not 1..16 of A-Z, 0-9, '-' */
  public PartyId {
    if (value == null || !FORMAT.matcher(value).matches()) {
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
