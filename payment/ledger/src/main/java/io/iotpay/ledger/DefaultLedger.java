package io.iotpay.ledger;

import io.iotpay.foundation.Assert;
import io.iotpay.ledger.audit.AuditJournal;
import io.iotpay.foundation.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ledger: a writer thread with group commit over {@link LedgerState} and {@link LedgerStore}. */
final class DefaultLedger implements Ledger {
  private static final Logger log = LoggerFactory.getLogger(DefaultLedger.class);

  /** What clients put on the writer's queue. */
  private sealed interface Submission {
    int size();
  }

  private record TransferSubmission(List<Transfer> transfers, CompletableFuture<List<TransferResult>> done)
      implements Submission {
    @Override
    public int size() {
      return transfers.size();
    }
  }

  private record AccountSubmission(List<Account> accounts, CompletableFuture<List<AccountResult>> done)
      implements Submission {
    @Override
    public int size() {
      return accounts.size();
    }
  }

  private record ExpirySubmission(CompletableFuture<Integer> done) implements Submission {
    @Override
    public int size() {
      return 0;
    }
  }

  /** Tells the writer to stop. */
  private record Stop() implements Submission {
    @Override
    public int size() {
      return 0;
    }
  }

  private final Database database;
  private final LedgerConfig config;
  private final Clock businessClock;
  private final AuditJournal journal;
  private final LedgerStore store;
  private final LedgerState state;
  private final BlockingQueue<Submission> queue;
  private final ConcurrentHashMap<Long, AccountBalance> balances = new ConcurrentHashMap<>();
  /**
   * Odd while the writer publishes a batch's balances. Readers copying all balances retry until they
   * saw the same even value before and after the copy (a sequence lock: readers never block the
   * writer and never see half a batch).
   */
  private volatile long publishVersion;
  private final Thread writer;
  private volatile boolean closed;
  private long lastNowMs;
  private Connection connection;

  private DefaultLedger(Database database, LedgerConfig config, Clock businessClock, AuditJournal journal,
      LedgerStore store, LedgerState state, long lastNowMs) {
    this.database = database;
    this.config = config;
    this.businessClock = businessClock;
    this.journal = journal;
    this.store = store;
    this.state = state;
    this.lastNowMs = lastNowMs;
    this.queue = new ArrayBlockingQueue<>(config.queueSubmissionsMax());
    for (AccountState account : state.accounts()) {
      balances.put(account.account.id(), account.published);
    }
    this.writer = Thread.ofPlatform().name("iotpay-ledger-writer").unstarted(this::runWriter);
  }

  static Ledger open(Database database, LedgerConfig config, Clock businessClock, AuditJournal journal) {
    Assert.notNull(database, "database");
    Assert.notNull(config, "config");
    Assert.notNull(businessClock, "businessClock");
    Assert.notNull(journal, "journal");
    LedgerStore store = LedgerStore.migrate(database);
    LedgerState state = new LedgerState();
    long[] lastNowMs = {Long.MIN_VALUE};
    try (Connection connection = database.connection()) {
      connection.setAutoCommit(false);
      state.recording(false);
      store.readAccounts(connection, state::addAccount);
      store.readEntries(connection, entry -> {
        state.applyEntry(entry);
        lastNowMs[0] = Math.max(lastNowMs[0], entry.appliedAtMs());
      });
      state.recording(true);
      connection.commit();
    } catch (SQLException e) {
      throw new LedgerStoreException("cannot read the ledger from the store", e);
    }
    state.checkAllInvariants();
    adoptAccountsWithoutLeaf(database, store, journal);
    log.info("Ledger opened [dialect={}, accounts={}, entries={}]", database.dialect(), state.accounts().size(),
        state.nextSeq() - 1);
    DefaultLedger ledger = new DefaultLedger(database, config, businessClock, journal, store, state, lastNowMs[0]);
    ledger.writer.start();
    return ledger;
  }

  /**
   * A database from before account leaves: records each existing account as an {@link
   * AccountLeaf.Origin#ADOPTED} leaf, once. Only when no account has a leaf yet: an account row without a
   * leaf next to accounts that have one was inserted behind the ledger's back, and adopting it would
   * launder it; it is left for {@code audit verify} to name.
   */
  private static void adoptAccountsWithoutLeaf(Database database, LedgerStore store, AuditJournal journal) {
    try (Connection connection = database.connection()) {
      List<Account> missing = store.accountsWithoutLeaf(connection);
      if (missing.isEmpty()) {
        return;
      }
      if (store.accountsWithLeaf(connection) > 0) {
        log.error("Ledger accounts without an audit leaf, not adopted [count={}, firstId={}]; audit verify names them",
            missing.size(), missing.get(0).id());
        return;
      }
      List<byte[]> leaves = new ArrayList<>(missing.size());
      for (Account account : missing) {
        leaves.add(new AccountLeaf(account, AccountLeaf.Origin.ADOPTED).canonicalBytes());
      }
      database.writing(() -> {
        adopt(connection, store, journal, missing, leaves);
        return null;
      });
      log.info("Ledger accounts adopted into the audit log [count={}]", missing.size());
    } catch (SQLException e) {
      throw new LedgerStoreException("cannot record the existing accounts as audit leaves", e);
    }
  }

  private static void adopt(Connection connection, LedgerStore store, AuditJournal journal, List<Account> accounts,
      List<byte[]> leaves) throws SQLException {
    connection.setAutoCommit(false);
    boolean appended = false;
    try {
      long first = journal.append(connection, leaves);
      appended = true;
      store.markAdopted(connection, accounts, first);
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      if (appended) {
        journal.rolledBack();
      }
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
    journal.committed();
  }

  // ---------------------------------------------------------------- client side

  @Override
  public CompletableFuture<List<AccountResult>> createAccounts(List<Account> accounts) {
    checkSubmission(accounts, "accounts");
    CompletableFuture<List<AccountResult>> done = new CompletableFuture<>();
    enqueue(new AccountSubmission(List.copyOf(accounts), done));
    return done;
  }

  @Override
  public CompletableFuture<List<TransferResult>> submit(List<Transfer> transfers) {
    checkSubmission(transfers, "transfers");
    CompletableFuture<List<TransferResult>> done = new CompletableFuture<>();
    enqueue(new TransferSubmission(List.copyOf(transfers), done));
    return done;
  }

  @Override
  public CompletableFuture<Integer> expireDue() {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    enqueue(new ExpirySubmission(done));
    return done;
  }

  private void checkSubmission(List<?> items, String what) {
    if (items == null) {
      throw new LedgerInputException("submission of " + what + " is null");
    }
    if (items.size() > config.batchTransfersMax()) {
      throw new LedgerInputException("submission of " + items.size() + " " + what
          + " exceeds batchTransfersMax=" + config.batchTransfersMax());
    }
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) == null) {
        throw new LedgerInputException("submission of " + what + ": element " + i + " is null");
      }
    }
  }

  private void enqueue(Submission submission) {
    if (closed) {
      throw new LedgerClosedException("the ledger is closed");
    }
    if (Thread.currentThread() == writer) {
      // A callback running on the writer must not wait for room: only the writer makes room.
      if (!queue.offer(submission)) {
        throw new LedgerClosedException("submit from a callback on the writer thread found the queue full;"
            + " attach callbacks with the *Async methods");
      }
      return;
    }
    try {
      // Bounded waits in a loop so a submitter blocked on a full queue notices close().
      while (!queue.offer(submission, 50, TimeUnit.MILLISECONDS)) {
        if (closed) {
          throw new LedgerClosedException("the ledger closed while waiting for room in its queue");
        }
      }
      if (closed) {
        // Raced with close(): once the writer is gone, fail what it left, possibly this submission.
        writer.join();
        failQueued();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LedgerClosedException("interrupted while waiting for room in the ledger's queue");
    }
  }

  @Override
  public Optional<AccountBalance> balance(long accountId) {
    return Optional.ofNullable(balances.get(accountId));
  }

  @Override
  public Map<Long, AccountBalance> balances() {
    while (true) {
      long before = publishVersion;
      if ((before & 1) == 0) {
        Map<Long, AccountBalance> copy = new HashMap<>(balances);
        if (publishVersion == before) {
          return copy;
        }
      }
      Thread.onSpinWait();
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      queue.put(new Stop());
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      writer.interrupt();
    }
    failQueued();
  }

  private void failQueued() {
    for (Submission left = queue.poll(); left != null; left = queue.poll()) {
      fail(left, new LedgerClosedException("the ledger closed before this submission was applied"));
    }
  }

  // ---------------------------------------------------------------- writer side

  private void runWriter() {
    List<Submission> batch = new ArrayList<>();
    try {
      while (true) {
        Submission first = queue.poll(config.expiryPollMs(), TimeUnit.MILLISECONDS);
        if (first instanceof Stop) {
          return;
        }
        batch.clear();
        if (first != null) {
          batch.add(first);
          if (drain(batch, first.size())) {
            applyBatch(batch);
            return;
          }
        }
        applyBatch(batch);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      // An invariant broke or the code is wrong: stop applying rather than corrupt the books.
      log.error("Ledger writer stopped [reason={}]", e.toString(), e);
      closed = true;
      for (Submission pending : batch) {
        fail(pending, e);
      }
      failQueued();
    } finally {
      closeConnection();
    }
  }

  /** Moves queued submissions into the batch while they fit; returns true when it met a stop. */
  private boolean drain(List<Submission> batch, int transfersAlready) {
    int count = transfersAlready;
    for (Submission next = queue.peek(); next != null; next = queue.peek()) {
      if (next instanceof Stop) {
        queue.poll();
        return true;
      }
      if (count + next.size() > config.batchTransfersMax()) {
        return false;
      }
      batch.add(queue.poll());
      count += next.size();
    }
    return false;
  }

  /** Applies a batch in memory, writes it in one transaction, then publishes and acknowledges. */
  private void applyBatch(List<Submission> batch) {
    long startNanos = System.nanoTime();
    long nowMs = Math.max(lastNowMs, businessClock.millis());
    LedgerState.Mark start = state.mark();
    int expired = state.expireDue(nowMs);
    List<Object> results = new ArrayList<>(batch.size());
    for (Submission submission : batch) {
      results.add(applyInMemory(submission, nowMs, expired));
    }
    if (state.batchEntries().isEmpty() && state.batchAccounts().isEmpty()) {
      publish(state.commitBatch()); // balances of a taken-back chain: unchanged values
      complete(batch, results);
      return;
    }
    state.checkBatchInvariants();
    long persistStartNanos = System.nanoTime();
    try {
      database.writing(() -> {
        persist();
        return null;
      });
      if (log.isDebugEnabled()) {
        log.debug("Ledger batch committed [entries={}, submissions={}, memoryUs={}, persistUs={}]",
            state.batchEntries().size(), batch.size(), (persistStartNanos - startNanos) / 1000, (System.nanoTime() - persistStartNanos) / 1000);
      }
    } catch (SQLException e) {
      state.abortBatch(start);
      LedgerStoreException failure = new LedgerStoreException("the store refused a ledger batch; nothing of it was applied", e);
      log.warn("Ledger batch rolled back [submissions={}, reason={}]", batch.size(), e.toString());
      for (Submission submission : batch) {
        fail(submission, failure);
      }
      return;
    }
    lastNowMs = nowMs;
    publish(state.commitBatch());
    complete(batch, results);
  }

  private void publish(List<AccountBalance> changed) {
    publishVersion++; // odd: publishing; only this thread writes it
    for (AccountBalance balance : changed) {
      balances.put(balance.account().id(), balance);
    }
    publishVersion++;
  }

  private Object applyInMemory(Submission submission, long nowMs, int expired) {
    return switch (submission) {
      case TransferSubmission t -> state.applyTransfers(t.transfers(), nowMs);
      case AccountSubmission a -> state.createAccounts(a.accounts());
      case ExpirySubmission e -> expired;
      case Stop s -> throw Assert.unreachable("stop inside a batch");
    };
  }

  /** Writes the batch's accounts, audit leaves and entries in one transaction. */
  private void persist() throws SQLException {
    List<LedgerEntry> entries = state.batchEntries();
    boolean appended = false;
    try {
      Connection transaction = connection();
      List<Account> accounts = state.batchAccounts();
      // One leaf per new account (first) and per entry, in one append: the leaves commit with the rows.
      List<byte[]> leaves = new ArrayList<>(accounts.size() + entries.size());
      for (Account account : accounts) {
        leaves.add(new AccountLeaf(account, AccountLeaf.Origin.CREATED).canonicalBytes());
      }
      for (LedgerEntry entry : entries) {
        leaves.add(entry.canonicalBytes());
      }
      long firstIndex = journal.append(transaction, leaves);
      appended = true;
      store.insertAccounts(transaction, accounts, firstIndex);
      long firstEntryIndex = firstIndex + accounts.size();
      List<LedgerEntry> indexed = new ArrayList<>(entries.size());
      for (int i = 0; i < entries.size(); i++) {
        indexed.add(entries.get(i).withAuditIndex(firstEntryIndex + i));
      }
      store.insertEntries(transaction, indexed);
      transaction.commit();
    } catch (SQLException | RuntimeException e) {
      rollback();
      if (appended) {
        journal.rolledBack();
      }
      throw e instanceof SQLException sql ? sql : new SQLException("ledger batch failed", e);
    }
    if (appended) {
      journal.committed();
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      connection = database.connection();
      connection.setAutoCommit(false);
    }
    return connection;
  }

  private void rollback() {
    if (connection == null) {
      return;
    }
    try {
      connection.rollback();
    } catch (SQLException e) {
      log.warn("Ledger rollback failed; reconnecting [reason={}]", e.toString());
      closeConnection();
    }
  }

  private void closeConnection() {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      log.warn("Ledger connection close failed [reason={}]", e.toString());
    }
    connection = null;
  }

  @SuppressWarnings("unchecked")
  private static void complete(List<Submission> batch, List<Object> results) {
    for (int i = 0; i < batch.size(); i++) {
      Object result = results.get(i);
      switch (batch.get(i)) {
        case TransferSubmission t -> t.done().complete((List<TransferResult>) result);
        case AccountSubmission a -> a.done().complete((List<AccountResult>) result);
        case ExpirySubmission e -> e.done().complete((Integer) result);
        case Stop s -> throw Assert.unreachable("stop inside a batch");
      }
    }
  }

  private static void fail(Submission submission, Throwable failure) {
    switch (submission) {
      case TransferSubmission t -> t.done().completeExceptionally(failure);
      case AccountSubmission a -> a.done().completeExceptionally(failure);
      case ExpirySubmission e -> e.done().completeExceptionally(failure);
      case Stop s -> {}
    }
  }
}
