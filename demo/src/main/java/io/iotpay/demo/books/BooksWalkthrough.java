package io.iotpay.demo.books;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Pem;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.ManualBusinessClock;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.AccountFlags;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerAuditCheck;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.AuditLogConfig;
import io.iotpay.ledger.audit.AuditVerifier;
import io.iotpay.ledger.audit.Checkpoint;
import io.iotpay.ledger.audit.DatabaseAuditSource;
import io.iotpay.ledger.audit.VerificationReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The books walk-through: a seeded random business day of card payments between two issuers, one
 * switch and two acquirers, through the real ledger and audit log on SQLite, then T+1 net settlement,
 * then every book's balances, the latest signed checkpoint and the verifier's verdict.
 *
 * <p>A payment is an authorisation (a linked chain of three holds: cardholder → issuer's due-to-switch
 * in the issuer's book, due-from-issuer → due-to-acquirer in the switch's book, due-from-switch →
 * merchant in the acquirer's book), later captured in full or in part, voided, or left to expire.
 * Some submissions are retried with the same ids (the ledger must not apply them twice) and some
 * authorisations exceed the cardholder's funds (the whole chain must fail).
 */
public final class BooksWalkthrough {
  static final CurrencyUnit CNY = CurrencyUnit.CNY;
  static final long SWITCH_BOOK = 3;
  static final long[] ISSUER_BOOKS = {1, 2};
  static final long[] ACQUIRER_BOOKS = {4, 5};
  static final int CARDHOLDERS_PER_ISSUER = 20;
  static final int MERCHANTS_PER_ACQUIRER = 5;
  static final long OPENING_DEPOSIT_MINOR = 500_00;
  static final long HOLD_TIMEOUT_MS = Duration.ofHours(2).toMillis();

  /** What the walk-through found. */
  public record Result(
      int payments,
      int captured,
      int voided,
      int expired,
      int declined,
      int retries,
      Money spentByCardholders,
      Money receivedByMerchants,
      boolean booksBalanced,
      boolean conserved,
      VerificationReport verification,
      Optional<Checkpoint> checkpoint) {
    public boolean ok() {
      return booksBalanced && conserved && verification.verified();
    }
  }

  private final Ledger ledger;
  private final Random random;
  private final ManualBusinessClock clock;
  private long nextTransferId = 1;
  private int captured;
  private int voided;
  private int expired;
  private int declined;
  private int retries;

  private BooksWalkthrough(Ledger ledger, Random random, ManualBusinessClock clock) {
    this.ledger = ledger;
    this.random = random;
    this.clock = clock;
  }

  /**
   * Runs the walk-through in a fresh database {@code dataDir/iotpay.db} (an earlier demo database
   * there is replaced) and writes the audit log's public key next to it.
   */
  public static Result run(Path dataDir, long seed, int payments, AlgorithmSuite suite, PrintStream progress)
      throws IOException, SQLException, InterruptedException {
    Files.createDirectories(dataDir);
    Path dbFile = dataDir.resolve("iotpay.db");
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      Files.deleteIfExists(dataDir.resolve("iotpay.db" + suffix));
    }
    // The signing key lives only in this process: the demo's log is checked with the public half.
    KeyPair signingKey = suite.signature().generateKeyPair(new SecureRandom());
    Files.writeString(dataDir.resolve("audit-public-key.pem"), Pem.write(signingKey.getPublic()));
    ManualBusinessClock clock = new ManualBusinessClock(Instant.parse("2026-03-02T01:00:00Z"), BusinessDayRule.UTC_MIDNIGHT);
    try (Database database = Database.open("jdbc:sqlite:" + dbFile, 4)) {
      Result result;
      try (AuditLog auditLog = AuditLog.open(database, AuditLogConfig.of(suite, signingKey).withClock(clock.asJavaClock()));
          Ledger ledger = Ledger.open(database, LedgerConfig.defaults(), clock.asJavaClock(), auditLog)) {
        BooksWalkthrough walk = new BooksWalkthrough(ledger, new Random(seed), clock);
        walk.openBooks();
        walk.payments(payments, progress);
        walk.settle();
        result = walk.result(payments);
      }
      return withFinalCheckpoint(result, database, signingKey, suite);
    }
  }

  private static Result withFinalCheckpoint(Result result, Database database, KeyPair key, AlgorithmSuite suite)
      throws IOException, SQLException {
    // Closing the log signed a last checkpoint covering every leaf; verify that state.
    DatabaseAuditSource source = DatabaseAuditSource.of(database);
    VerificationReport report = AuditVerifier.verify(source,
        Map.of(Checkpoint.keyIdOf(suite, key.getPublic().getEncoded()), key.getPublic()), LedgerAuditCheck.of(database));
    List<Checkpoint> checkpoints = source.checkpoints();
    Optional<Checkpoint> last = checkpoints.isEmpty() ? Optional.empty() : Optional.of(checkpoints.get(checkpoints.size() - 1));
    return new Result(result.payments(), result.captured(), result.voided(), result.expired(), result.declined(),
        result.retries(), result.spentByCardholders(), result.receivedByMerchants(), result.booksBalanced(),
        result.conserved(), report, last);
  }

  static long cardholder(long issuerBook, int n) {
    return issuerBook * 1000 + n;
  }

  static long merchant(long acquirerBook, int n) {
    return acquirerBook * 1000 + n;
  }

  static long reserve(long book) {
    return book * 1000 + 900;
  }

  static long issuerDueToSwitch(long issuerBook) {
    return issuerBook * 1000 + 901;
  }

  static long acquirerDueFromSwitch(long acquirerBook) {
    return acquirerBook * 1000 + 901;
  }

  static long switchDueFrom(long issuerBook) {
    return SWITCH_BOOK * 1000 + 100 + issuerBook;
  }

  static long switchDueTo(long acquirerBook) {
    return SWITCH_BOOK * 1000 + 200 + acquirerBook;
  }

  private void openBooks() throws InterruptedException {
    List<Account> accounts = new ArrayList<>();
    List<Transfer> deposits = new ArrayList<>();
    for (long issuer : ISSUER_BOOKS) {
      accounts.add(Account.of(reserve(issuer), issuer, CNY));
      accounts.add(Account.of(issuerDueToSwitch(issuer), issuer, CNY));
      accounts.add(Account.of(switchDueFrom(issuer), SWITCH_BOOK, CNY));
      for (int n = 1; n <= CARDHOLDERS_PER_ISSUER; n++) {
        // A cardholder's deposit can never be overdrawn.
        accounts.add(new Account(cardholder(issuer, n), issuer, CNY, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS));
        deposits.add(Transfer.single(nextTransferId++, reserve(issuer), cardholder(issuer, n), OPENING_DEPOSIT_MINOR));
      }
    }
    accounts.add(Account.of(reserve(SWITCH_BOOK), SWITCH_BOOK, CNY));
    for (long acquirer : ACQUIRER_BOOKS) {
      accounts.add(Account.of(reserve(acquirer), acquirer, CNY));
      accounts.add(Account.of(acquirerDueFromSwitch(acquirer), acquirer, CNY));
      accounts.add(Account.of(switchDueTo(acquirer), SWITCH_BOOK, CNY));
      for (int n = 1; n <= MERCHANTS_PER_ACQUIRER; n++) {
        accounts.add(Account.of(merchant(acquirer, n), acquirer, CNY));
      }
    }
    await(ledger.createAccounts(accounts)).forEach(r -> Assert.that(r.name().equals("OK"), "account refused: {}", r));
    expectAllOk(await(ledger.submit(deposits)));
  }

  private void payments(int count, PrintStream progress) throws InterruptedException {
    List<long[]> openHolds = new ArrayList<>(); // {firstHoldId, amount}
    for (int i = 0; i < count; i++) {
      clock.advance(Duration.ofSeconds(20 + random.nextInt(120)));
      long issuer = ISSUER_BOOKS[random.nextInt(ISSUER_BOOKS.length)];
      long acquirer = ACQUIRER_BOOKS[random.nextInt(ACQUIRER_BOOKS.length)];
      int holder = 1 + random.nextInt(CARDHOLDERS_PER_ISSUER);
      // Mostly small amounts; one in twenty is beyond any deposit and must be declined whole.
      long amount = random.nextInt(20) == 0 ? OPENING_DEPOSIT_MINOR * 3 : 1_00 + random.nextInt(80_00);
      List<Transfer> hold = authorisation(issuer, acquirer, holder, amount);
      List<TransferResult> results = await(ledger.submit(hold));
      if (random.nextInt(10) == 0) {
        retries++;
        List<TransferResult> again = await(ledger.submit(hold));
        Assert.that(again.equals(results), "a retry changed the outcome: {} then {}", results, again);
      }
      if (results.get(0) != TransferResult.OK) {
        declined++;
        continue;
      }
      openHolds.add(new long[] {hold.get(0).id(), amount});
      if (openHolds.size() > 3) {
        resolve(openHolds.remove(random.nextInt(openHolds.size())));
      }
      if (progress != null && (i + 1) % 100 == 0) {
        progress.printf("demo: %d/%d payments%n", i + 1, count);
      }
    }
    for (long[] hold : openHolds) {
      resolve(hold);
    }
    // Holds left alone expire two hours later on the business clock.
    clock.advance(Duration.ofMillis(HOLD_TIMEOUT_MS + 1));
    // The writer expires due holds before every batch; this sweeps the last ones. The result's
    // conservation check then requires that no hold is left pending anywhere.
    await(ledger.expireDue());
  }

  private List<Transfer> authorisation(long issuer, long acquirer, int holder, long amount) {
    long first = nextTransferId;
    nextTransferId += 3;
    int merchantNumber = 1 + random.nextInt(MERCHANTS_PER_ACQUIRER);
    return List.of(
        Transfer.pending(first, cardholder(issuer, holder), issuerDueToSwitch(issuer), amount, HOLD_TIMEOUT_MS).asLinked(),
        Transfer.pending(first + 1, switchDueFrom(issuer), switchDueTo(acquirer), amount, HOLD_TIMEOUT_MS).asLinked(),
        Transfer.pending(first + 2, acquirerDueFromSwitch(acquirer), merchant(acquirer, merchantNumber), amount, HOLD_TIMEOUT_MS));
  }

  /** Captures (70 %, sometimes for less), voids (20 %) or abandons (10 %, left to expire) a hold chain. */
  private void resolve(long[] hold) throws InterruptedException {
    int choice = random.nextInt(10);
    if (choice == 9) {
      expired++; // abandoned: its three holds expire on the business clock
      return;
    }
    long first = nextTransferId;
    nextTransferId += 3;
    List<Transfer> chain = new ArrayList<>();
    long amount = random.nextInt(4) == 0 ? Math.max(1, hold[1] * (50 + random.nextInt(50)) / 100) : hold[1];
    for (int k = 0; k < 3; k++) {
      Transfer step = choice < 7 ? Transfer.post(first + k, hold[0] + k, amount) : Transfer.voidPending(first + k, hold[0] + k);
      chain.add(k < 2 ? step.asLinked() : step);
    }
    expectAllOk(await(ledger.submit(chain)));
    if (choice < 7) {
      captured++;
    } else {
      voided++;
    }
  }

  /**
   * T+1 multilateral net settlement: each issuer pays what its cardholders spent, each acquirer
   * receives what its merchants are owed, through the switch's settlement account (which nets to zero).
   */
  private void settle() throws InterruptedException {
    clock.advanceToNextBusinessDay();
    List<Transfer> settlement = new ArrayList<>();
    for (long issuer : ISSUER_BOOKS) {
      long owed = ledger.balance(issuerDueToSwitch(issuer)).orElseThrow().creditBalanceMinor();
      if (owed > 0) {
        settlement.add(Transfer.single(nextTransferId++, issuerDueToSwitch(issuer), reserve(issuer), owed).asLinked());
        settlement.add(Transfer.single(nextTransferId++, reserve(SWITCH_BOOK), switchDueFrom(issuer), owed).asLinked());
      }
    }
    for (long acquirer : ACQUIRER_BOOKS) {
      long due = ledger.balance(switchDueTo(acquirer)).orElseThrow().creditBalanceMinor();
      if (due > 0) {
        settlement.add(Transfer.single(nextTransferId++, switchDueTo(acquirer), reserve(SWITCH_BOOK), due).asLinked());
        settlement.add(Transfer.single(nextTransferId++, reserve(acquirer), acquirerDueFromSwitch(acquirer), due).asLinked());
      }
    }
    if (!settlement.isEmpty()) {
      Transfer last = settlement.remove(settlement.size() - 1);
      settlement.add(new Transfer(last.id(), last.debitAccountId(), last.creditAccountId(), last.amountMinor(),
          last.pendingId(), last.timeoutMs(), last.kind(), false));
      expectAllOk(await(ledger.submit(settlement)));
    }
  }

  private Result result(int payments) {
    Map<Long, AccountBalance> balances = ledger.balances();
    long spent = 0;
    long received = 0;
    boolean balanced = true;
    long pendingLeft = 0;
    Map<Long, long[]> perBook = new TreeMap<>();
    for (AccountBalance balance : balances.values()) {
      long account = balance.account().id();
      long[] sums = perBook.computeIfAbsent(balance.account().bookId(), b -> new long[2]);
      sums[0] += balance.debitsPostedMinor();
      sums[1] += balance.creditsPostedMinor();
      pendingLeft += balance.debitsPendingMinor() + balance.creditsPendingMinor();
      if (isCardholder(account)) {
        spent += OPENING_DEPOSIT_MINOR - balance.creditBalanceMinor();
      }
      if (isMerchant(account)) {
        received += balance.creditBalanceMinor();
      }
    }
    for (long[] sums : perBook.values()) {
      balanced &= sums[0] == sums[1];
    }
    boolean settledToZero = true;
    for (long book : ISSUER_BOOKS) {
      settledToZero &= ledger.balance(issuerDueToSwitch(book)).orElseThrow().creditBalanceMinor() == 0;
      settledToZero &= ledger.balance(switchDueFrom(book)).orElseThrow().debitBalanceMinor() == 0;
    }
    for (long book : ACQUIRER_BOOKS) {
      settledToZero &= ledger.balance(switchDueTo(book)).orElseThrow().creditBalanceMinor() == 0;
      settledToZero &= ledger.balance(acquirerDueFromSwitch(book)).orElseThrow().debitBalanceMinor() == 0;
    }
    settledToZero &= ledger.balance(reserve(SWITCH_BOOK)).orElseThrow().debitBalanceMinor() == 0;
    return new Result(payments, captured, voided, expired, declined, retries, Money.ofMinor(spent, CNY),
        Money.ofMinor(received, CNY), balanced, spent == received && settledToZero && pendingLeft == 0, null, Optional.empty());
  }

  static boolean isCardholder(long account) {
    long book = account / 1000;
    long local = account % 1000;
    return (book == ISSUER_BOOKS[0] || book == ISSUER_BOOKS[1]) && local >= 1 && local <= CARDHOLDERS_PER_ISSUER;
  }

  static boolean isMerchant(long account) {
    long book = account / 1000;
    long local = account % 1000;
    return (book == ACQUIRER_BOOKS[0] || book == ACQUIRER_BOOKS[1]) && local >= 1 && local <= MERCHANTS_PER_ACQUIRER;
  }

  private static void expectAllOk(List<TransferResult> results) {
    for (TransferResult result : results) {
      Assert.that(result == TransferResult.OK, "the walk-through's own transfer was refused: {}", result);
    }
  }

  private static <T> T await(CompletableFuture<T> future) throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("ledger refused a batch: " + e.getCause(), e.getCause());
    }
  }
}
