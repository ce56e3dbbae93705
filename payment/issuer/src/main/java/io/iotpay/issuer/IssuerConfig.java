package io.iotpay.issuer;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.transit.CardRange;
import java.util.List;

/**
 * An issuer's settings.
 *
 * @param id the issuer's party id
 * @param bookId its ledger book
 * @param accountIdBase its accounts are {@code base + n}: 1 due to the switch, 2 funding (cash in),
 *     3 rider arrears, {@code 1000 + k} riders
 * @param ranges its card ranges (new PANs come from the first)
 * @param currency the card currency (CNY)
 * @param defaultQuotaMinor the quota enablement and restores set (5000 = 50.00)
 * @param restoreThresholdMinor a card whose known quota is below this is restored (500 = 5.00)
 * @param maxFareMinor DF62, the most an entry may lock
 * @param aid the transit application's AID
 */
public record IssuerConfig(PartyId id, long bookId, long accountIdBase, List<CardRange> ranges, CurrencyUnit currency,
    long defaultQuotaMinor, long restoreThresholdMinor, long maxFareMinor, byte[] aid) {
  /** The AID the card tests use ({@code A0000003330101 01}). */
  public static final byte[] DEFAULT_AID = Hex.decode("A000000333010101");

  /** @throws IssuerInputException naming the first setting out of range */
  public IssuerConfig {
    if (id == null || ranges == null || ranges.isEmpty() || currency == null || aid == null) {
      throw new IssuerInputException("issuer config: id, ranges, currency and AID are required");
    }
    for (CardRange range : ranges) {
      if (!range.issuer().equals(id)) {
        throw new IssuerInputException("issuer config: range " + range.prefix() + " belongs to " + range.issuer());
      }
    }
    if (bookId <= 0 || accountIdBase <= 0) {
      throw new IssuerInputException("issuer config: book id and account id base must be positive");
    }
    if (defaultQuotaMinor <= 0 || defaultQuotaMinor > 99_999_999L || restoreThresholdMinor < 0
        || restoreThresholdMinor > defaultQuotaMinor || maxFareMinor <= 0 || maxFareMinor > defaultQuotaMinor) {
      throw new IssuerInputException("issuer config: need 0 < quota ≤ 99999999, 0 ≤ threshold ≤ quota, 0 < max fare ≤ quota");
    }
    ranges = List.copyOf(ranges);
    aid = aid.clone();
  }

  /** Defaults of issue #4: quota 50.00 CNY, threshold 5.00, maximum fare 8.00. */
  public static IssuerConfig defaults(PartyId id, long bookId, long accountIdBase, List<CardRange> ranges) {
    return new IssuerConfig(id, bookId, accountIdBase, ranges, CurrencyUnit.CNY, 5000, 500, 800, DEFAULT_AID);
  }

  @Override
  public byte[] aid() {
    return aid.clone();
  }
}
