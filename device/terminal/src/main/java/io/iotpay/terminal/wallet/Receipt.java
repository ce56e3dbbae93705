package io.iotpay.terminal.wallet;

import io.iotpay.foundation.codec.Hex;

/**
 * What the POS prints at once, split or not: the card shown by its last 4 hex digits only.
 *
 * @param onlineMinor the part the POS collects online as the cardholder's agent (0 when none)
 */
public record Receipt(String cardMasked, long counter, long offlineMinor, long onlineMinor, long balanceAfterMinor,
    int currencyNumeric, long psamSequence, boolean recovered) {

  static Receipt of(PurchaseRecord record) {
    CardDebit d = record.debit();
    String id = Hex.encode(d.cardId());
    return new Receipt("****" + id.substring(id.length() - 4), d.counter(), d.offlineMinor(), d.onlineMinor(),
        d.balanceAfterMinor(), d.currencyNumeric(), record.psamSequence(), record.recovered());
  }
}
