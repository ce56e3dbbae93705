package io.iotpay.protocol.transit;

import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import java.util.regex.Pattern;

/**
 * A card range the switch routes to one issuer: every PAN starting with {@code prefix}.
 *
 * @param prefix 1..12 digits (a BIN is 6 or 8)
 * @param issuer the issuer of the range
 */
public record CardRange(String prefix, PartyId issuer) {
  private static final Pattern DIGITS_1_TO_12 = Pattern.compile("[0-9]{1,12}");
  /** @throws ProtocolException on a malformed prefix or a missing issuer */
  public CardRange {
    if (prefix == null || !DIGITS_1_TO_12.matcher(prefix).matches()) {
      throw new ProtocolException("card range prefix '" + prefix + "' is not 1..12 digits");
    }
    if (issuer == null) {
      throw new ProtocolException("card range " + prefix + ": issuer is missing");
    }
  }

  public boolean contains(Pan pan) {
    return pan.startsWith(prefix);
  }
}
