package io.iotpay.switching.online;

import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.transit.CardRange;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The issuer of a PAN by its longest matching card range: the same {@link CardRange} list and the
 * same rule as the transit switch. An adapter, because the transit package's {@code CardRangeTable}
 * is package-private there; lookups are one map probe per prefix length in use.
 */
final class IssuerRoutes {
  private static final int PREFIX_DIGITS_MAX = 12;
  private final Map<String, PartyId> byPrefix = new HashMap<>();
  private final boolean[] lengthUsed = new boolean[PREFIX_DIGITS_MAX + 1];

  /** @throws ProtocolException when two ranges have the same prefix */
  IssuerRoutes(List<CardRange> ranges) {
    for (CardRange range : ranges) {
      if (byPrefix.putIfAbsent(range.prefix(), range.issuer()) != null) {
        throw new ProtocolException("card range " + range.prefix() + " is defined twice");
      }
      lengthUsed[range.prefix().length()] = true;
    }
  }

  Optional<PartyId> issuerOf(Pan pan) {
    String digits = pan.digits();
    for (int length = Math.min(PREFIX_DIGITS_MAX, digits.length()); length >= 1; length--) {
      if (lengthUsed[length]) {
        PartyId issuer = byPrefix.get(digits.substring(0, length));
        if (issuer != null) {
          return Optional.of(issuer);
        }
      }
    }
    return Optional.empty();
  }
}
