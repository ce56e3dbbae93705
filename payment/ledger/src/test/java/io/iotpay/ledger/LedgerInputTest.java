package io.iotpay.ledger;

import io.iotpay.foundation.money.CurrencyUnit;
import static io.iotpay.ledger.TestLedger.EUR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.store.Database;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed calls are refused with a typed exception saying what and where; nothing changes. */
class LedgerInputTest {
  @TempDir Path tempDir;

  @Test
  void submissions_thatAreNullTooLongOrHoldNulls_areRefused() {
    try (TestLedger t = TestLedger.open(Database.Dialect.SQLITE, tempDir)) {
      t.accounts(Account.of(1, 1, EUR), Account.of(2, 1, EUR));
      assertThatThrownBy(() -> t.ledger.submit(null))
          .isInstanceOf(LedgerInputException.class).hasMessageContaining("null");
      List<Transfer> tooMany = new ArrayList<>();
      for (int i = 1; i <= 8191; i++) {
        tooMany.add(Transfer.single(i, 1, 2, 1));
      }
      assertThatThrownBy(() -> t.ledger.submit(tooMany))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("8191").hasMessageContaining("8190");
      assertThatThrownBy(() -> t.ledger.submit(Arrays.asList(Transfer.single(1, 1, 2, 1), null)))
          .isInstanceOf(LedgerInputException.class).hasMessageContaining("element 1");
      assertThatThrownBy(() -> t.ledger.createAccounts(Arrays.asList((Account) null)))
          .isInstanceOf(LedgerInputException.class).hasMessageContaining("element 0");
      assertThat(t.entryRows()).isZero();
      assertThat(t.balance(1).debitsPostedMinor()).isZero();
    }
  }

  @Test
  void values_refuseMissingOrOutOfRangeFields() {
    assertThatThrownBy(() -> new Transfer(5, 1, 2, 1, 0, 0, null, false))
        .isInstanceOf(LedgerInputException.class).hasMessageContaining("transfer 5").hasMessageContaining("kind");
    assertThatThrownBy(() -> new Account(7, 1, null, AccountFlags.NONE))
        .isInstanceOf(LedgerInputException.class).hasMessageContaining("account 7").hasMessageContaining("currency");
    assertThatThrownBy(() -> new Account(7, 1, EUR, null))
        .isInstanceOf(LedgerInputException.class).hasMessageContaining("flags");
    assertThatThrownBy(() -> AccountFlags.ofBits(4)).isInstanceOf(LedgerInputException.class);
    assertThatThrownBy(() -> EntryKind.ofCode(9)).isInstanceOf(LedgerInputException.class).hasMessageContaining("9");
  }

  @Test
  void config_refusesBoundsOutsideTheirRange() {
    assertThatThrownBy(() -> LedgerConfig.defaults().withBatchTransfersMax(0))
        .isInstanceOf(LedgerInputException.class).hasMessageContaining("batchTransfersMax=0");
    assertThatThrownBy(() -> LedgerConfig.defaults().withBatchTransfersMax(LedgerConfig.BATCH_TRANSFERS_MAX_BOUND + 1))
        .isInstanceOf(LedgerInputException.class);
    assertThatThrownBy(() -> new LedgerConfig(8190, 0, 100))
        .isInstanceOf(LedgerInputException.class).hasMessageContaining("queueSubmissionsMax");
    assertThatThrownBy(() -> LedgerConfig.defaults().withExpiryPollMs(0))
        .isInstanceOf(LedgerInputException.class).hasMessageContaining("expiryPollMs");
  }

  @Test
  void closedLedger_refusesSubmissions() {
    try (TestLedger t = TestLedger.open(Database.Dialect.SQLITE, tempDir)) {
      t.ledger.close();
      assertThatThrownBy(() -> t.ledger.submit(List.of(Transfer.single(1, 1, 2, 1))))
          .isInstanceOf(LedgerClosedException.class);
    }
  }
}
