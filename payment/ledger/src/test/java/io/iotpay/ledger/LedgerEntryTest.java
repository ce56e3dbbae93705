package io.iotpay.ledger;

import io.iotpay.foundation.money.CurrencyUnit;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.Hex;
import org.junit.jupiter.api.Test;

/** The canonical encoding is the documented fixed layout (LedgerEntry Javadoc and docs/ledger.md). */
class LedgerEntryTest {
  @Test
  void canonicalBytes_followTheDocumentedVersion1Layout() {
    LedgerEntry entry = new LedgerEntry(0x0102, EntryKind.POST_PENDING, 0x0A0B, 3, 4, 0x1234, 0x0A0A, 0, true, 7,
        CurrencyUnit.EUR, 0x0000_0123_4567_89ABL, 99);
    // Written by hand from the table: version, seq, kind, transferId, debit, credit, amount, pendingId,
    // timeoutMs, linked, bookId, currency (978 = 0x03D2), appliedAtMs. The audit index is not encoded.
    String expected = "01"
        + "0000000000000102"
        + "03"
        + "0000000000000a0b"
        + "0000000000000003"
        + "0000000000000004"
        + "0000000000001234"
        + "0000000000000a0a"
        + "0000000000000000"
        + "01"
        + "0000000000000007"
        + "03d2"
        + "00000123456789ab";
    assertThat(Hex.encode(entry.canonicalBytes())).isEqualToIgnoringCase(expected);
    assertThat(entry.canonicalBytes()).hasSize(LedgerEntry.CANONICAL_LENGTH).hasSize(77);
    assertThat(entry.withAuditIndex(5).canonicalBytes()).isEqualTo(entry.canonicalBytes());
  }

  @Test
  void kindCodes_areStable() {
    assertThat(EntryKind.values()).extracting(EntryKind::code).containsExactly(1, 2, 3, 4, 5);
  }
}
