package io.iotpay.demo.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's run, small: every check holds and every kind of event happened. */
class WalletScenarioTest {

  @Test
  void aSmallRunConservesValueAndExercisesEveryFlow(@TempDir Path dir) {
    WalletReport r = WalletScenario.run(new WalletSettings(8, 2, 3, 17, dir), new PrintStream(PrintStream.nullOutputStream()));
    assertThat(r.ok()).as(r.toJson().toString()).isTrue();
    assertThat(r.purchasesOffline()).isPositive();
    assertThat(r.purchasesSplit()).isPositive();
    assertThat(r.onlinePartsCompleted()).isPositive();
    assertThat(r.onlinePartsFailed()).isPositive();
    assertThat(r.onlinePartsCompletedFromLinkedAccount()).isPositive(); // a short online account, the bank paid
    assertThat(r.linkedMinorTotal()).isPositive();
    assertThat(r.onlinePartAnswersLost()).isPositive(); // 0210s lost between acquirer and POS, pushed again
    assertThat(r.outcomesWrittenBack()).isPositive();
    assertThat(r.loads()).isPositive();
    assertThat(r.ratingsWritten()).isPositive();
    assertThat(r.ratingsIssued()).isTrue();
    assertThat(r.listsPublished()).isEqualTo(4);
    assertThat(r.walletMinorTotal()).isEqualTo(r.shadowMinorTotal());
    assertThat(r.phoneCards()).isPositive();
    assertThat(r.phoneCardPurchases()).isPositive(); // phones paying as cards, read back from the journals
    assertThat(r.phonePosPurchases()).isPositive(); // cards paying at the merchants' phones
  }
}
