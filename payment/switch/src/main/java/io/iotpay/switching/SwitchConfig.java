package io.iotpay.switching;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.transit.CardRange;
import java.util.Comparator;
import java.util.List;

/**
 * The switch's configuration.
 *
 * @param self the switch's party id (receiver of offline files, sender of clearing files)
 * @param bookId the switch's book in the shared ledger
 * @param accountIdBase the switch's accounts are this + a local number (see docs/clearing-files.md §7)
 * @param transferIdBase the switch's transfer ids are this + epoch day × 100,000 + a local number
 * @param currency the settlement currency; every file must be in it
 * @param ranges card ranges and their issuers (the issuers are the paying participants)
 * @param operators operators allowed to upload offline files (the receiving participants), at most
 *     {@value #PARTICIPANTS_MAX}
 * @param limits what a file may hold
 * @param rejectionsKeptMax how many rejections are kept for queries (all are counted); default
 *     {@value #REJECTIONS_KEPT_DEFAULT}, bounded so a hostile file cannot exhaust memory
 */
public record SwitchConfig(
    PartyId self,
    long bookId,
    long accountIdBase,
    long transferIdBase,
    CurrencyUnit currency,
    List<CardRange> ranges,
    List<PartyId> operators,
    FileLimits limits,
    int rejectionsKeptMax) {
  /** The order parties are listed in everywhere (positions, files, accounts): by id. */
  public static final Comparator<PartyId> PARTY_ORDER = Comparator.comparing(PartyId::value);
  public static final int PARTICIPANTS_MAX = 999;
  public static final int REJECTIONS_KEPT_DEFAULT = 100_000;

  /** @throws IllegalArgumentException when a field is missing or out of range */
  public SwitchConfig {
    if (self == null || currency == null || ranges == null || operators == null || limits == null) {
      throw new IllegalArgumentException("switch config: self, currency, ranges, operators and limits are required");
    }
    if (bookId < 1 || accountIdBase < 0 || transferIdBase < 0) {
      throw new IllegalArgumentException("switch config: bookId must be positive, id bases non-negative");
    }
    if (operators.size() > PARTICIPANTS_MAX || ranges.size() > PARTICIPANTS_MAX) {
      throw new IllegalArgumentException("switch config: at most " + PARTICIPANTS_MAX + " operators and ranges");
    }
    if (rejectionsKeptMax < 0 || rejectionsKeptMax > 10_000_000) {
      throw new IllegalArgumentException("switch config: rejectionsKeptMax " + rejectionsKeptMax + " is outside 0..10000000");
    }
    ranges = List.copyOf(ranges);
    operators = List.copyOf(operators);
  }

  /** A configuration with default limits. */
  public static SwitchConfig of(PartyId self, long bookId, long accountIdBase, long transferIdBase,
      List<CardRange> ranges, List<PartyId> operators) {
    return new SwitchConfig(self, bookId, accountIdBase, transferIdBase, CurrencyUnit.CNY, ranges, operators,
        FileLimits.defaults(), REJECTIONS_KEPT_DEFAULT);
  }
}
