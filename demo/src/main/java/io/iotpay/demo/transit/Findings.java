package io.iotpay.demo.transit;

import io.iotpay.acquirer.transit.OperatorBackOffice;
import io.iotpay.demo.transit.TransitScenario.Rider;
import io.iotpay.demo.transit.TransitScenario.Tally;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.issuer.Issuer;
import io.iotpay.issuer.RiderAccountKind;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerAuditCheck;
import io.iotpay.ledger.audit.AuditVerifier;
import io.iotpay.ledger.audit.Checkpoint;
import io.iotpay.ledger.audit.DatabaseAuditSource;
import io.iotpay.ledger.audit.VerificationReport;
import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.ExceptionFile;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.settlement.NetPosition;
import io.iotpay.protocol.transit.ExceptionStage;
import io.iotpay.protocol.transit.RecordId;
import io.iotpay.protocol.transit.TransitException;
import io.iotpay.protocol.transit.TransitKind;
import io.iotpay.protocol.transit.TransitRecord;
import io.iotpay.protocol.transit.TransitRecord.CardTransactionKey;
import io.iotpay.switching.transit.SettlementRun;
import io.iotpay.switching.transit.TransitSwitch;
import io.iotpay.terminal.gate.GateKernel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Works out the demo's findings after the last night: what the cards, the journals, the clearing
 * files, the issuers, the operators and the ledger each say moved, and whether they agree. Every
 * figure comes from a different source (the cards' own quota, the journal files on disk, the files
 * the switch wrote, the ledger's balances), so agreement is a real check, not an identity.
 */
final class Findings {
  private Findings() {}

  /** Deletes an earlier run's database, journals and files in {@code dir} and creates it. */
  static void resetDataDirectory(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path entry : entries.toList()) {
        String name = entry.getFileName().toString();
        boolean ours = name.startsWith("iotpay.db") || name.startsWith("issuer-") || name.startsWith("operator-")
            || name.equals("journals") || name.equals("switch") || name.equals("pki") || name.equals("audit-public-key.pem");
        if (ours) {
          deleteTree(entry);
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  /** One card transaction as the union of the journals holds it. */
  private record Journaled(long fareMinor, boolean original, TransitKind kind) {}

  private static Map<String, Long> events(TransitScenario scenario) {
    Tally tally = scenario.tally();
    long incomplete = journals(scenario.metro()).values().stream()
        .filter(j -> j.kind() == TransitKind.EXIT_INCOMPLETE).count();
    Map<String, Long> events = new LinkedHashMap<>();
    events.put("forgot_tap_out", tally.forgotTapOut);
    events.put("exit_incomplete_records", incomplete);
    events.put("final_sweep_taps", tally.sweepTaps);
    events.put("torn_retried_at_another_gate_then_back", tally.tornRetriedElsewhere);
    return events;
  }

  static TransitReport of(TransitScenario scenario) {
    Tally tally = scenario.tally();
    Map<CardTransactionKey, Journaled> journals = journals(scenario.metro());
    long faresMinor = journals.values().stream().mapToLong(Journaled::fareMinor).sum();
    Set<CardTransactionKey> recovered = journals.entrySet().stream().filter(e -> !e.getValue().original())
        .map(Map.Entry::getKey).collect(Collectors.toSet());
    long faresOnCards = 0;
    long lockedOnCards = 0;
    for (Rider rider : scenario.riders()) {
      long locked = rider.card.lockedMinor();
      lockedOnCards += locked;
      faresOnCards += rider.pushedMinor - rider.card.quotaMinor() - locked;
    }
    Map<CardTransactionKey, Long> cleared = scenario.clearedFares();
    Disputes chargebacks = disputes(scenario);
    // Journaled and charged back (an issuer refused it): settled back to the issuer, not in flight.
    long chargedBackMinor = journals.entrySet().stream().filter(e -> !cleared.containsKey(e.getKey())
        && chargebacks.keys().contains(e.getKey())).mapToLong(e -> e.getValue().fareMinor()).sum();
    long unclearedMinor = journals.entrySet().stream().filter(e -> !cleared.containsKey(e.getKey())
        && !chargebacks.keys().contains(e.getKey())).mapToLong(e -> e.getValue().fareMinor()).sum();
    boolean clearedAreJournaled = journals.keySet().containsAll(cleared.keySet());
    Ledger ledger = scenario.ledger();
    long riderDebits = riderDebits(scenario.riders(), ledger);
    long receivable = scenario.operators().values().stream().mapToLong(OperatorBackOffice::receivableMinor).sum();
    long owedToSwitch = scenario.issuers().values().stream()
        .mapToLong(i -> balance(ledger, i.dueToSwitchAccountId()).creditBalanceMinor()).sum();
    Uploads uploads = uploads(scenario);
    MisPriced misPriced = misPriced(scenario, uploads);
    long issuersArrears = scenario.issuers().values().stream()
        .mapToLong(i -> balance(ledger, i.arrearsAccountId()).debitBalanceMinor()).sum();
    // Charged back and not re-presented: the rider's card paid it, nobody debits it (the operator's loss).
    long writtenOffMinor = chargedBackMinor - chargebacks.representedMinor();
    Map<String, Long> inFlight = new LinkedHashMap<>();
    inFlight.put("journaled_not_cleared_minor", unclearedMinor);
    inFlight.put("locked_on_cards_minor", lockedOnCards);
    inFlight.put("issuer_owed_to_switch_minor", owedToSwitch);
    Map<String, Boolean> checks = new LinkedHashMap<>();
    checks.put("cards_equal_journals", faresOnCards == faresMinor);
    checks.put("journals_equal_cleared_plus_in_flight", clearedAreJournaled
        && faresMinor == tally.clearedMinor + chargedBackMinor + unclearedMinor);
    // After the last night every journaled fare was cleared or charged back: none stranded (a late
    // presentment included).
    checks.put("every_journaled_fare_settled", unclearedMinor == 0);
    checks.put("cleared_equal_debited_plus_arrears", tally.clearedMinor == tally.debitedMinor + tally.arrearsMinor);
    // Every record an issuer refused came back as a chargeback, netted against its operator, who booked it.
    checks.put("issuer_refusals_charged_back_to_operators", tally.clearingRefusals == chargebacks.count()
        && chargebacks.netted() && chargebacks.minor() == chargebacks.operatorsMinor());
    // Each chargeback in the issuer's exception files, a settled window of the switch and the operator's
    // notices; each re-presentment netted and in the operator's records, once per record.
    checks.put("disputes_in_every_party_record", chargebacks.inEveryRecord() && chargebacks.representedOnce()
        && (chargebacks.representedCount() == 0 || tally.representmentsRefused == 1));
    checks.put("debited_equal_rider_ledger_accounts", tally.debitedMinor == riderDebits);
    // What the riders' cards paid = what their issuers debited or hold in arrears (clearing arrears and
    // re-presented fares, read from the ledger) + what was charged back and not re-presented.
    checks.put("riders_paid_equal_issuers_debited", faresOnCards == riderDebits + issuersArrears + writtenOffMinor
        && issuersArrears == tally.arrearsMinor + chargebacks.representedMinor());
    checks.put("cleared_plus_represented_equal_operator_settled",
        tally.clearedMinor + chargebacks.representedMinor() == tally.operatorSettledMinor);
    // Fares of recovered copies the switch refused as duplicates (read from the uploaded files).
    long duplicatesMinor = uploads.faresMinor() - tally.clearedMinor - chargebacks.minor();
    // The back office books as revenue only what the switch accepted (recovered copies another gate
    // uploaded first are refused as duplicates), so after settlement nothing is left receivable.
    Set<CardTransactionKey> clearedOrChargedBack = new HashSet<>(cleared.keySet());
    clearedOrChargedBack.addAll(chargebacks.keys());
    checks.put("operator_revenue_equal_settled", receivable == 0
        && clearedOrChargedBack.containsAll(uploads.keys())
        && totalRevenue(scenario) - chargebacks.minor() + chargebacks.representedMinor() == tally.operatorSettledMinor
        && chargebacks.operatorsNetMinor() == chargebacks.minor() - chargebacks.representedMinor()
        && scenario.transitSwitch().rejectionsTotal() == uploads.records() - cleared.size() - chargebacks.count());
    checks.put("switch_accounts_settled_to_zero", switchSettled(scenario));
    checks.put("windows_net_to_zero_and_match_operator_books", windowsNetToZero(scenario));
    checks.put("issuers_paid_the_switch", owedToSwitch == 0);
    checks.put("flash_recovered_equal_torn_after_commit", recovered.equals(scenario.tornAfterCommit()));
    Counterfeits counterfeits = scenario.counterfeits();
    checks.put("counterfeits_refused_and_not_journaled", counterfeits.refused() == counterfeits.presented()
        && counterfeits.journaled() == 0);
    boolean conserved = checks.values().stream().allMatch(Boolean::booleanValue);
    return new TransitReport(scenario.settings().riders(), scenario.settings().days(), scenario.settings().seed(),
        scenario.settings().flashRate(), tally.enabled, tally.tapsIn, tally.tapsOut, tally.refusals, faresMinor,
        faresOnCards, tally.clearedMinor, tally.debitedMinor, tally.arrearsMinor, riderDebits,
        tally.operatorSettledMinor, tally.quotaRestores, tally.flashInjected, scenario.tornAfterCommit().size(),
        recovered.size(), recovered.equals(scenario.tornAfterCommit()), denyListed(scenario),
        tally.clearingRefusals, scenario.transitSwitch().rejectionsTotal(), duplicatesMinor, tally.foreignCopies,
        tally.lateCopiesRefused + lateCopies(scenario), inFlight, events(scenario), counterfeits.presented(),
        counterfeits.refused(), checks,
        booksBalanced(ledger), false, "not verified yet", 0, conserved, tally.notes,
        new TransitReport.Disputes(chargebacks.count(), chargebacks.minor(), chargebacks.representedCount(),
            chargebacks.representedMinor(), tally.representmentsRefused, chargebacks.operatorsNetMinor(),
            misPriced.records(), misPriced.excessMinor(), scenario.transitSwitch().latePresentments().records(),
            scenario.transitSwitch().latePresentments().faresMinor()),
        TransitReport.Rates.of(scenario.settings()));
  }

  /**
   * Disputes as each party's records hold them: the chargebacks and re-presentments the switch
   * accepted (count, amount, card transactions, all netted), what the operators' notices booked
   * ({@code operatorsMinor}) and what is left on their chargebacks accounts ({@code
   * operatorsNetMinor}); {@code inEveryRecord}: each chargeback is in its issuer's exception files,
   * netted in a window and in its operator's records, each re-presentment netted and in its
   * operator's records; {@code representedOnce}: no record re-presented twice.
   */
  private record Disputes(long count, long minor, Set<CardTransactionKey> keys, boolean netted, long operatorsMinor,
      long representedCount, long representedMinor, long operatorsNetMinor, boolean inEveryRecord,
      boolean representedOnce) {}

  private static Disputes disputes(TransitScenario scenario) {
    List<TransitSwitch.Dispute> all = scenario.transitSwitch().disputes();
    List<TransitSwitch.Dispute> chargebacks = stage(all, ExceptionStage.CHARGEBACK);
    List<TransitSwitch.Dispute> represented = stage(all, ExceptionStage.REPRESENTMENT);
    Collection<OperatorBackOffice> operators = scenario.operators().values();
    long noticesMinor = operators.stream().flatMap(o -> o.chargebacks().stream())
        .mapToLong(TransitException::fareMinor).sum();
    return new Disputes(chargebacks.size(), chargebacks.stream().mapToLong(d -> d.exception().fareMinor()).sum(),
        chargebacks.stream().map(d -> d.exception().key()).collect(Collectors.toSet()),
        all.stream().allMatch(d -> d.window() != null), noticesMinor, represented.size(),
        represented.stream().mapToLong(d -> d.exception().fareMinor()).sum(),
        operators.stream().mapToLong(OperatorBackOffice::chargebacksMinor).sum(),
        inEveryRecord(scenario, chargebacks, represented),
        represented.stream().map(d -> d.exception().recordId()).distinct().count() == represented.size());
  }

  private static List<TransitSwitch.Dispute> stage(List<TransitSwitch.Dispute> disputes, ExceptionStage stage) {
    return disputes.stream().filter(d -> d.exception().stage() == stage).toList();
  }

  private static boolean inEveryRecord(TransitScenario scenario, List<TransitSwitch.Dispute> chargebacks,
      List<TransitSwitch.Dispute> represented) {
    Set<RecordId> raisedByIssuers = new HashSet<>();
    for (Issuer issuer : scenario.issuers().values()) {
      for (Path file : issuer.chargebackFiles(scenario.settings().dataDir().resolve(TransitScenario.ISSUER_OUT))) {
        readExceptions(file).forEach(e -> raisedByIssuers.add(e.recordId()));
      }
    }
    boolean all = true;
    for (TransitSwitch.Dispute d : chargebacks) {
      OperatorBackOffice operator = scenario.operators().get(d.exception().operator());
      all &= d.window() != null && raisedByIssuers.contains(d.exception().recordId())
          && operator.chargebacks().stream().anyMatch(e -> e.recordId().equals(d.exception().recordId()));
    }
    for (TransitSwitch.Dispute d : represented) {
      OperatorBackOffice operator = scenario.operators().get(d.exception().operator());
      all &= d.window() != null && operator.representments().stream()
          .anyMatch(e -> e.recordId().equals(d.exception().recordId()) && e.fareMinor() == d.exception().fareMinor());
    }
    return all;
  }

  private static List<TransitException> readExceptions(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return ExceptionFile.read(in, FileLimits.defaults()).exceptions();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Every window the switch settled, read back from its settlement report files: the positions sum
   * to zero, and each operator's positions over the windows are what its settlement bank account
   * received. A chargeback not netted would leave an issuer's position, and so an operator's
   * settlement, off by its fare.
   */
  private static boolean windowsNetToZero(TransitScenario scenario) {
    Map<PartyId, Long> operatorPositions = new HashMap<>();
    for (LocalDate window : scenario.windows()) {
      Optional<SettlementRun> run = scenario.transitSwitch().settledRun(window);
      if (run.isEmpty()) {
        return false;
      }
      long sum = 0;
      for (NetPosition position : run.get().report().positions()) {
        sum += position.net().amountMinor();
        operatorPositions.merge(position.party(), position.net().amountMinor(), Long::sum);
      }
      if (sum != 0) {
        return false;
      }
    }
    return scenario.operators().entrySet().stream().allMatch(e -> e.getValue().settledMinor()
        == operatorPositions.getOrDefault(e.getKey(), 0L));
  }

  /**
   * Records the operators uploaded with another fare than their gate journaled (the back office's
   * stale fare table), and by how much they overstate it: the uploaded files against the journals.
   */
  private record MisPriced(long records, long excessMinor) {}

  private static MisPriced misPriced(TransitScenario scenario, Uploads uploads) {
    Map<RecordId, Long> journaled = new HashMap<>();
    for (GateKernel gate : scenario.metro().allGates()) {
      gate.journal().records().forEach(r -> journaled.put(r.id(), r.fare().amountMinor()));
    }
    long records = 0;
    long excess = 0;
    for (TransitRecord record : uploads.distinct().values()) {
      Long fare = journaled.get(record.id());
      if (fare != null && fare != record.fare().amountMinor()) {
        records++;
        excess += record.fare().amountMinor() - fare;
      }
    }
    return new MisPriced(records, excess);
  }

  /** What the operators uploaded: every offline file they wrote, read back. */
  private record Uploads(long records, long faresMinor, Set<CardTransactionKey> keys,
      Map<RecordId, TransitRecord> distinct) {}

  private static Uploads uploads(TransitScenario scenario) {
    long records = 0;
    long fares = 0;
    Set<CardTransactionKey> keys = new HashSet<>();
    Map<RecordId, TransitRecord> distinct = new HashMap<>();
    for (OperatorBackOffice office : scenario.operators().values()) {
      for (TransitRecord record : office.uploadedRecords()) {
        records++;
        fares += record.fare().amountMinor();
        keys.add(record.cardKey());
        distinct.put(record.id(), record);
      }
    }
    return new Uploads(records, fares, keys, distinct);
  }

  /** Every gate's journal (what each gate journaled and forced to disk), de-duplicated on the card transaction key. */
  private static Map<CardTransactionKey, Journaled> journals(MetroNetwork metro) {
    Map<CardTransactionKey, Journaled> out = new HashMap<>();
    for (GateKernel gate : metro.allGates()) {
      for (TransitRecord record : gate.journal().records()) {
        Journaled seen = new Journaled(record.fare().amountMinor(), !record.recovered(), record.kind());
        out.merge(record.cardKey(), seen, (a, b) -> {
          if (a.fareMinor() != b.fareMinor()) {
            throw new IllegalStateException("two journals disagree on the fare of one card transaction [atc="
                + record.atc() + "]");
          }
          return new Journaled(a.fareMinor(), a.original() || b.original(), a.kind());
        });
      }
    }
    return out;
  }

  /** What the riders' accounts lost: deposits minus balances (a credit account starts at 0). */
  private static long riderDebits(List<Rider> riders, Ledger ledger) {
    long sum = 0;
    for (Rider rider : riders) {
      long balance = balance(ledger, rider.accountId).creditBalanceMinor();
      sum += (rider.kind == RiderAccountKind.CREDIT ? 0 : rider.depositMinor) - balance;
    }
    return sum;
  }

  private static long totalRevenue(TransitScenario scenario) {
    return scenario.operators().values().stream().mapToLong(OperatorBackOffice::fareRevenueMinor).sum();
  }

  private static boolean switchSettled(TransitScenario scenario) {
    TransitSwitch transitSwitch = scenario.transitSwitch();
    Ledger ledger = scenario.ledger();
    boolean zero = balance(ledger, transitSwitch.settlementAccountId()).debitBalanceMinor() == 0;
    for (PartyId issuer : scenario.issuers().keySet()) {
      zero &= balance(ledger, transitSwitch.dueFromIssuerAccountId(issuer)).debitBalanceMinor() == 0;
    }
    for (PartyId operator : scenario.operators().keySet()) {
      zero &= balance(ledger, transitSwitch.dueToOperatorAccountId(operator)).debitBalanceMinor() == 0;
    }
    return zero;
  }

  private static int denyListed(TransitScenario scenario) {
    return scenario.issuers().values().stream().mapToInt(i -> i.denyList().pans().size()).sum();
  }

  /**
   * Recovered copies of a transaction of an already settled day, journaled by the card's next tap
   * on a later day (the steady state of docs/gate.md §4): the back office holds them for their own
   * day, which the switch already closed; the original was cleared (checked by the key sets).
   */
  private static long lateCopies(TransitScenario scenario) {
    long sum = 0;
    LocalDate first = TransitScenario.START.atZone(ZoneOffset.UTC).toLocalDate();
    for (OperatorBackOffice office : scenario.operators().values()) {
      for (int d = 0; d <= scenario.settings().days() + 1; d++) {
        sum += office.pendingRecords(first.plusDays(d));
      }
    }
    return sum;
  }

  /** Every book's posted debits equal its posted credits, and no transfer is left pending. */
  private static boolean booksBalanced(Ledger ledger) {
    Map<Long, long[]> perBook = new HashMap<>();
    long pending = 0;
    for (AccountBalance balance : ledger.balances().values()) {
      long[] sums = perBook.computeIfAbsent(balance.account().bookId(), b -> new long[2]);
      sums[0] += balance.debitsPostedMinor();
      sums[1] += balance.creditsPostedMinor();
      pending += balance.debitsPendingMinor() + balance.creditsPendingMinor();
    }
    return pending == 0 && perBook.values().stream().allMatch(s -> s[0] == s[1]);
  }

  private static AccountBalance balance(Ledger ledger, long accountId) {
    return ledger.balance(accountId)
        .orElseThrow(() -> new IllegalStateException("no ledger account " + accountId));
  }

  /** The verifier over the closed log (its last checkpoint covers every leaf) with the ledger cross-check. */
  static TransitReport withAudit(TransitReport report, Database database, KeyPair key, AlgorithmSuite suite)
      throws IOException {
    try {
      VerificationReport verification = AuditVerifier.verify(DatabaseAuditSource.of(database),
          Map.of(Checkpoint.keyIdOf(suite, key.getPublic().getEncoded()), key.getPublic()),
          LedgerAuditCheck.of(database));
      String detail = verification.verified() ? "OK (" + verification.checkpointsChecked() + " checkpoints)"
          : "FAILED at " + verification.failure().orElseThrow().describe();
      return report.withAudit(verification.verified(), detail, verification.leavesChecked());
    } catch (SQLException e) {
      throw new IOException("audit verification could not read the database", e);
    }
  }
}
