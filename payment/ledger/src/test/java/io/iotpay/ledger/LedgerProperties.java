package io.iotpay.ledger;

import static io.iotpay.ledger.TestLedger.CNY;
import static io.iotpay.ledger.TestLedger.EUR;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.ledger.audit.AuditJournal;
import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.store.TestStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random streams of transfers with retries, duplicates, conflicting reuse of ids, posts, voids, expiries
 * and failing linked chains: the invariants hold after every step, a retry never applies twice, a
 * failed chain changes nothing, and a restart (replay from the store) gives identical balances. With
 * {@code IOTPAY_TEST_POSTGRES_URL} set, every stream also runs on PostgreSQL and must give the same
 * results and balances as on SQLite.
 */
class LedgerProperties {
  private static final List<Account> ACCOUNTS = List.of(
      Account.of(1, 1, EUR),
      Account.of(2, 1, EUR),
      new Account(3, 1, EUR, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS),
      new Account(4, 1, EUR, AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS),
      Account.of(5, 2, EUR),
      Account.of(6, 1, CNY));

  sealed interface Op {}

  record Submit(List<Transfer> transfers) implements Op {}

  /** Resubmits, unchanged, the {@code pick}-th transfer submitted so far (modulo their count). */
  record Retry(int pick) implements Op {}

  /** A chain of valid-looking transfers closed by one that is always refused. */
  record FailingChain(List<Transfer> transfers) implements Op {}

  record Advance(long ms) implements Op {}

  @Property(tries = 25)
  void randomStreams_holdInvariants_andReplayToIdenticalBalances(@ForAll("streams") List<Op> stream)
      throws IOException {
    Path directory = Files.createTempDirectory("ledger-properties");
    try {
      List<Object> sqlite = runAndRestart(Database.Dialect.SQLITE, directory, stream);
      String postgres = System.getenv(TestStores.POSTGRES_URL_VARIABLE);
      if (postgres != null && !postgres.isBlank()) {
        assertThat(runAndRestart(Database.Dialect.POSTGRESQL, directory, stream)).isEqualTo(sqlite);
      }
    } finally {
      try (Stream<Path> paths = Files.walk(directory)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
  }

  /** Runs the stream, checking each step; returns every step's outcome and the final balances. */
  private static List<Object> runAndRestart(Database.Dialect dialect, Path directory, List<Op> stream) {
    List<Object> outcomes = new ArrayList<>();
    try (TestLedger t = new TestLedger(TestStores.open(dialect, directory), AuditJournal.none(), LedgerConfig.defaults())) {
      assertThat(t.join(t.ledger.createAccounts(ACCOUNTS))).containsOnly(AccountResult.OK);
      List<Transfer> submitted = new ArrayList<>();
      for (Op op : stream) {
        outcomes.add(step(t, op, submitted));
        checkInvariants(t.balances());
      }
      Map<Long, AccountBalance> before = t.balances();
      t.restart();
      assertThat(t.balances()).isEqualTo(before);
      outcomes.add(before);
    }
    return outcomes;
  }

  private static Object step(TestLedger t, Op op, List<Transfer> submitted) {
    return switch (op) {
      case Submit s -> {
        submitted.addAll(s.transfers());
        yield t.join(t.ledger.submit(s.transfers()));
      }
      case Retry r -> retry(t, submitted, r.pick());
      case FailingChain f -> {
        Map<Long, AccountBalance> before = t.balances();
        List<TransferResult> results = t.join(t.ledger.submit(f.transfers()));
        assertThat(results).doesNotContain(TransferResult.OK);
        // the first refused transfer carries its reason, every other one LINKED_EVENT_FAILED
        assertThat(results.stream().filter(r -> r != TransferResult.LINKED_EVENT_FAILED)).hasSize(1);
        assertThat(t.balances()).isEqualTo(before);
        yield results;
      }
      case Advance a -> {
        t.clock.advance(Duration.ofMillis(a.ms()));
        yield t.join(t.ledger.expireDue());
      }
    };
  }

  private static Object retry(TestLedger t, List<Transfer> submitted, int pick) {
    if (submitted.isEmpty()) {
      return "nothing to retry";
    }
    Transfer again = submitted.get(pick % submitted.size());
    // Unlinked: a retry is its own submission (the original chain's partners are not resent).
    Transfer single = new Transfer(again.id(), again.debitAccountId(), again.creditAccountId(), again.amountMinor(),
        again.pendingId(), again.timeoutMs(), again.kind(), false);
    Map<Long, AccountBalance> before = t.balances();
    TransferResult first = t.join(t.ledger.submit(List.of(single))).get(0);
    TransferResult second = t.join(t.ledger.submit(List.of(single))).get(0);
    Map<Long, AccountBalance> after = t.balances();
    if (first == TransferResult.OK) {
      assertThat(second).isEqualTo(TransferResult.OK);
    }
    // The second submission of the same transfer never changes a balance.
    assertThat(t.balances()).isEqualTo(after);
    return List.of(first, second, before.equals(after));
  }

  /** Checks the invariants from outside, on the published balances only. */
  private static void checkInvariants(Map<Long, AccountBalance> balances) {
    Map<String, long[]> books = new HashMap<>();
    for (AccountBalance b : balances.values()) {
      assertThat(b.debitsPendingMinor()).isNotNegative();
      assertThat(b.debitsPostedMinor()).isNotNegative();
      assertThat(b.creditsPendingMinor()).isNotNegative();
      assertThat(b.creditsPostedMinor()).isNotNegative();
      if (b.account().flags().debitsMustNotExceedCredits()) {
        assertThat(b.debitsPendingMinor() + b.debitsPostedMinor()).isLessThanOrEqualTo(b.creditsPostedMinor());
      }
      if (b.account().flags().creditsMustNotExceedDebits()) {
        assertThat(b.creditsPendingMinor() + b.creditsPostedMinor()).isLessThanOrEqualTo(b.debitsPostedMinor());
      }
      long[] sum = books.computeIfAbsent(b.account().bookId() + "/" + b.account().currency(), k -> new long[4]);
      sum[0] += b.debitsPendingMinor();
      sum[1] += b.creditsPendingMinor();
      sum[2] += b.debitsPostedMinor();
      sum[3] += b.creditsPostedMinor();
    }
    for (Map.Entry<String, long[]> book : books.entrySet()) {
      assertThat(book.getValue()[0]).as("pending debits = credits in book %s", book.getKey()).isEqualTo(book.getValue()[1]);
      assertThat(book.getValue()[2]).as("posted debits = credits in book %s", book.getKey()).isEqualTo(book.getValue()[3]);
    }
  }

  // ---------------------------------------------------------------- generators

  @Provide
  Arbitrary<List<Op>> streams() {
    Arbitrary<Op> submit = transfers().list().ofMinSize(1).ofMaxSize(6).map(Submit::new);
    Arbitrary<Op> retry = Arbitraries.integers().between(0, 1000).map(Retry::new);
    Arbitrary<Op> chain = transfers().list().ofMinSize(1).ofMaxSize(3).map(LedgerProperties::failingChain);
    Arbitrary<Op> advance = Arbitraries.longs().between(0, 3000).map(Advance::new);
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, submit),
            net.jqwik.api.Tuple.of(2, retry),
            net.jqwik.api.Tuple.of(1, chain),
            net.jqwik.api.Tuple.of(2, advance))
        .list().ofMinSize(1).ofMaxSize(30);
  }

  private static Op failingChain(List<Transfer> transfers) {
    List<Transfer> chain = new ArrayList<>();
    for (Transfer transfer : transfers) {
      chain.add(transfer.asLinked());
    }
    chain.add(Transfer.single(999, 1, 2, 0)); // zero amount: always refused, so the chain fails
    return new FailingChain(chain);
  }

  private Arbitrary<Transfer> transfers() {
    Arbitrary<Long> ids = Arbitraries.longs().between(1, 40);
    Arbitrary<Long> accounts = Arbitraries.of(1L, 2L, 3L, 4L, 5L, 6L, 99L);
    Arbitrary<Long> amounts = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(85, Arbitraries.longs().between(1, 500)),
        net.jqwik.api.Tuple.of(5, Arbitraries.just(0L)),
        net.jqwik.api.Tuple.of(5, Arbitraries.longs().between(-5, -1)),
        net.jqwik.api.Tuple.of(5, Arbitraries.just(Long.MAX_VALUE / 3)));
    Arbitrary<Long> timeouts = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(1, Arbitraries.just(0L)),
        net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(1, 5000)));
    Arbitrary<TransferKind> kinds = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, Arbitraries.just(TransferKind.SINGLE_PHASE)),
        net.jqwik.api.Tuple.of(3, Arbitraries.just(TransferKind.PENDING)),
        net.jqwik.api.Tuple.of(2, Arbitraries.just(TransferKind.POST_PENDING)),
        net.jqwik.api.Tuple.of(2, Arbitraries.just(TransferKind.VOID_PENDING)));
    Arbitrary<Boolean> linked = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, Arbitraries.just(false)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(true)));
    return Combinators.combine(ids, accounts, accounts, amounts, ids, timeouts, kinds, linked)
        .as(LedgerProperties::transfer);
  }

  private static Transfer transfer(long id, long debit, long credit, long amount, long pendingId, long timeoutMs,
      TransferKind kind, boolean linked) {
    return switch (kind) {
      case SINGLE_PHASE -> new Transfer(id, debit, credit, amount, 0, 0, kind, linked);
      case PENDING -> new Transfer(id, debit, credit, amount, 0, timeoutMs, kind, linked);
      // posts and voids mostly name no accounts (the hold's), mostly the full or a smaller amount
      case POST_PENDING -> new Transfer(id, 0, 0, Math.min(amount, 300), pendingId, 0, kind, linked);
      case VOID_PENDING -> new Transfer(id, 0, 0, 0, pendingId, 0, kind, linked);
    };
  }
}
