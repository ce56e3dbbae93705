package io.iotpay.switching.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.audit.AuditJournal;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.settlement.NetPosition;
import io.iotpay.protocol.settlement.SettlementReport;
import io.iotpay.switching.SwitchConfig;
import io.iotpay.protocol.transit.CardRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Netting and posting with amounts in both directions (fares and online captures issuer → receiver,
 * online refunds receiver → issuer), on a real SQLite ledger: positions sum to zero, each equals what
 * the party receives minus what it pays, and every switch account ends each day at zero.
 */
class MixedDirectionSettlementProperties {
  private static final List<PartyId> ISSUERS = List.of(PartyId.of("ISS-1"), PartyId.of("ISS-2"), PartyId.of("ISS-3"));
  /** Operators first, then the online acquirers, as TransitSwitch orders the receivers. */
  private static final List<PartyId> RECEIVERS = List.of(PartyId.of("METRO-A"), PartyId.of("ACQ-1"), PartyId.of("ACQ-2"));
  private static final AtomicLong DAYS = new AtomicLong();
  private static Path directory;
  private static Database database;
  private static Ledger ledger;
  private static SettlementPoster poster;

  @BeforeContainer
  static void open() throws IOException {
    directory = Files.createTempDirectory("mixed-settlement");
    database = Database.open("jdbc:sqlite:" + directory.resolve("ledger.db"), 2);
    ledger = Ledger.open(database, LedgerConfig.defaults(), Clock.systemUTC(), AuditJournal.none());
    SwitchConfig config = SwitchConfig.of(PartyId.of("SWITCH"), 7, 50_000, 0,
        ISSUERS.stream().map(issuer -> new CardRange("62" + (1 + ISSUERS.indexOf(issuer)), issuer)).toList(),
        List.of(RECEIVERS.get(0)));
    poster = new SettlementPoster(config, ledger, ISSUERS, RECEIVERS);
    poster.openAccounts();
  }

  @AfterContainer
  static void close() {
    ledger.close();
    database.close();
    try (var files = Files.walk(directory)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Property(tries = 40)
  void positionsSumToZero_equalReceivedMinusPaid_andEverySwitchAccountEndsAtZero(@ForAll long seed) {
    Random random = new Random(seed);
    Map<PartyId, Map<PartyId, Long>> gross = new TreeMap<>(SwitchConfig.PARTY_ORDER);
    Map<PartyId, Long> expected = new HashMap<>();
    for (PartyId issuer : ISSUERS) {
      for (PartyId receiver : RECEIVERS) {
        if (random.nextInt(3) > 0) {
          add(gross, expected, issuer, receiver, 1 + random.nextLong(1_000_000)); // fares, captures
        }
        if (!receiver.equals(RECEIVERS.get(0)) && random.nextBoolean()) {
          add(gross, expected, receiver, issuer, 1 + random.nextLong(1_000_000)); // refunds
        }
      }
    }
    LocalDate day = LocalDate.of(2026, 1, 1).plusDays(DAYS.incrementAndGet());
    SettlementReport report = MultilateralNetting.net(day, CurrencyUnit.CNY, ISSUERS, RECEIVERS, gross, 1);
    poster.post(day, gross);

    assertThat(report.positions()).hasSize(ISSUERS.size() + RECEIVERS.size());
    assertThat(report.positions().stream().mapToLong(p -> p.net().amountMinor()).sum()).isZero();
    for (NetPosition position : report.positions()) {
      assertThat(position.net().amountMinor()).as("%s", position.party())
          .isEqualTo(expected.getOrDefault(position.party(), 0L));
    }
    assertThat(debitBalance(poster.settlementAccount())).isZero();
    ISSUERS.forEach(issuer -> assertThat(debitBalance(poster.dueFromIssuer(issuer))).isZero());
    RECEIVERS.forEach(receiver -> assertThat(debitBalance(poster.dueToOperator(receiver))).isZero());
    long debits = 0;
    long credits = 0;
    for (AccountBalance b : ledger.balances().values()) {
      debits += b.debitsPostedMinor();
      credits += b.creditsPostedMinor();
    }
    assertThat(debits).isEqualTo(credits);
  }

  private static void add(Map<PartyId, Map<PartyId, Long>> gross, Map<PartyId, Long> expected, PartyId payer,
      PartyId receiver, long amount) {
    gross.computeIfAbsent(payer, p -> new TreeMap<>(SwitchConfig.PARTY_ORDER)).merge(receiver, amount, Long::sum);
    expected.merge(payer, -amount, Long::sum);
    expected.merge(receiver, amount, Long::sum);
  }

  private static long debitBalance(long accountId) {
    return ledger.balance(accountId).map(AccountBalance::debitBalanceMinor).orElse(0L);
  }
}
