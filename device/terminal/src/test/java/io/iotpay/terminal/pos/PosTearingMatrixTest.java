package io.iotpay.terminal.pos;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.card.FaultyCardChannel;
import io.iotpay.foundation.card.FaultyCardChannel.Fault;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.terminal.pos.PosJournal.Authorisation;
import io.iotpay.terminal.pos.PosJournal.Entry;
import io.iotpay.terminal.pos.PosJournal.Stage;
import io.iotpay.terminal.pos.PosOutcome.Reason;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every command of an online tap (1 SELECT PPSE … 6 second GENERATE AC) lost on the way in, lost on
 * the way out, or cut by pulling the card: the tap ends CARD_TORN, never with an exception, with
 * exactly one FINAL journal entry; a tear after the ARQC went online leaves a reversal due; the
 * next tap approves with a higher ATC. The same for an 8-command fDDA tap.
 */
class PosTearingMatrixTest {
  static final int ONLINE_TAP_COMMANDS = 6;
  static final int FIRST_COMMAND_AFTER_ONLINE = 6; // the second GENERATE AC, carrying the ARPC

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void everyCommandTorn_everyFault_definedOutcome_journalConsistent_nextTapApproves(AlgorithmSuite suite) {
    try (Till till = new Till(dir)) {
      walk(till, till.card(suite), ONLINE_TAP_COMMANDS, FIRST_COMMAND_AFTER_ONLINE);
    }
  }

  /** The same with fDDA: 8 commands, the two certificate records read before the ARQC. */
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void fddaTap_everyCommandTorn_everyFault_definedOutcome_nextTapApproves(AlgorithmSuite suite) {
    try (Till till = new Till(dir)) {
      OdaScheme scheme = OdaScheme.of(suite);
      till.withOda(scheme.verifier(io.iotpay.foundation.crypto.oda.CaRevocationList.empty()));
      walk(till, PosCard.withOda(suite, till.issuer, Till.PAN, scheme), ONLINE_TAP_COMMANDS + 2,
          FIRST_COMMAND_AFTER_ONLINE + 2);
    }
  }

  private void walk(Till till, PosCard card, int commands, int firstAfterOnline) {
    int lastAtc = -1;
    int reversals = 0;
    for (int n = 1; n <= commands; n++) {
      for (Fault fault : Fault.values()) {
        String tear = "command " + n + " " + fault;
        card.reinsert();
        int linesBefore = till.journal.entries().size();
        PosOutcome torn = till.kernel.charge(new FaultyCardChannel(card.channel(), n, fault),
            Money.ofMinor(1_000, CurrencyUnit.CNY));
        assertThat(torn.reason()).as(tear).isEqualTo(Reason.CARD_TORN);
        assertThat(torn.commandCount()).as(tear).isEqualTo(n);
        boolean online = n >= firstAfterOnline;
        List<Entry> written = till.journal.entries().subList(linesBefore, till.journal.entries().size());
        assertThat(written).as(tear).extracting(Entry::stage)
            .isEqualTo(online ? List.of(Stage.ONLINE_REQUEST, Stage.FINAL) : List.of(Stage.FINAL));
        assertThat(written).as(tear).allMatch(e -> e.sequence() == torn.entry().sequence());
        assertThat(torn.entry().reversal()).as(tear).isEqualTo(online);
        assertThat(torn.entry().authorisation()).as(tear)
            .isEqualTo(online ? Authorisation.APPROVED : Authorisation.NOT_SENT);
        reversals += online ? 1 : 0;

        PosOutcome next = till.charge(card, 1_000);
        assertThat(next.reason()).as("tap after " + tear).isEqualTo(Reason.APPROVED_ONLINE);
        assertThat(next.entry().atc()).as("ATC after " + tear).isGreaterThan(Math.max(lastAtc, torn.entry().atc()));
        lastAtc = next.entry().atc();
      }
    }
    assertThat(till.journal.reversalsDue()).hasSize(reversals);
    try (PosJournal reread = PosJournal.open(dir.resolve("pos.journal"))) {
      assertThat(reread.entries()).isEqualTo(till.journal.entries());
    }
  }
}
