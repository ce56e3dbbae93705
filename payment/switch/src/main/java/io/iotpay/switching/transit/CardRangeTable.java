package io.iotpay.switching.transit;

import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.transit.CardRange;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Routes a PAN to the issuer of its longest matching card range, without substrings per lookup. */
final class CardRangeTable {
  private static final int PREFIX_DIGITS_MAX = 12;
  private final Map<Long, PartyId> byLengthAndPrefix = new HashMap<>();
  private final boolean[] lengthUsed = new boolean[PREFIX_DIGITS_MAX + 1];

  /** @throws ProtocolException when two ranges have the same prefix */
  CardRangeTable(List<CardRange> ranges) {
    for (CardRange range : ranges) {
      int length = range.prefix().length();
      long key = key(Long.parseLong(range.prefix()), length);
      if (byLengthAndPrefix.putIfAbsent(key, range.issuer()) != null) {
        throw new ProtocolException("card range " + range.prefix() + " is defined twice");
      }
      lengthUsed[length] = true;
    }
  }

  Optional<PartyId> issuerOf(Pan pan) {
    String digits = pan.digits();
    int lengthMax = Math.min(PREFIX_DIGITS_MAX, digits.length());
    long prefix = 0;
    for (int i = 0; i < lengthMax; i++) {
      prefix = prefix * 10 + (digits.charAt(i) - '0');
    }
    // longest range first: drop one digit per step
    for (int length = lengthMax; length >= 1; length--, prefix /= 10) {
      if (lengthUsed[length]) {
        PartyId issuer = byLengthAndPrefix.get(key(prefix, length));
        if (issuer != null) {
          return Optional.of(issuer);
        }
      }
    }
    return Optional.empty();
  }

  private static long key(long prefix, int length) {
    return prefix * 16 + length;
  }
}
