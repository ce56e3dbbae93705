package io.iotpay.acquirer.transit;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.FileLimits;

/**
 * The metro operator's back office configuration.
 *
 * @param self the operator's party id (sender of offline files)
 * @param switchId the switch it clears through
 * @param bookId the operator's book in the shared ledger
 * @param accountIdBase the operator's accounts are this + 1 (receivable from switch), + 2 (fare
 *     revenue), + 3 (settlement bank account)
 * @param transferIdBase its transfer ids are this + epoch day × 1,000 + a local number
 * @param currency the fares' currency
 * @param limits bounds for files it reads (journals, reports, deny lists)
 */
public record OperatorConfig(
    PartyId self, PartyId switchId, long bookId, long accountIdBase, long transferIdBase, CurrencyUnit currency,
    FileLimits limits) {
  /** @throws IllegalArgumentException when a field is missing or out of range */
  public OperatorConfig {
    if (self == null || switchId == null || currency == null || limits == null) {
      throw new IllegalArgumentException("operator config: self, switchId, currency and limits are required");
    }
    if (bookId < 1 || accountIdBase < 0 || transferIdBase < 0) {
      throw new IllegalArgumentException("operator config: bookId must be positive, id bases non-negative");
    }
  }

  public static OperatorConfig of(PartyId self, PartyId switchId, long bookId, long accountIdBase, long transferIdBase) {
    return new OperatorConfig(self, switchId, bookId, accountIdBase, transferIdBase, CurrencyUnit.CNY,
        FileLimits.defaults());
  }
}
