package io.iotpay.ledger;

import io.iotpay.foundation.Assert;
import io.iotpay.ledger.audit.AuditJournal;
import io.iotpay.foundation.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.security.MessageDigest;
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
  private volatile LedgerMetrics metrics = LedgerMetrics.NONE;
  private volatile boolean closed;
  private long lastNowMs;
  /**
   * The rows of a chain's increments, all together, are kept at most this many times the ledger's
   * accounts: start-up reads the whole chain, so it reads at most {@code 1 + INCREMENT_ROWS_PER_ACCOUNT}
   * rows per account (a full snapshot has at most one); beyond it the next snapshot is full. Measured
   * against the accounts, not the full snapshot's rows: a ledger whose accounts are funded after the
   * full snapshot (bench clearing's set-up) would otherwise write a full one again soon.
   */
  static final int INCREMENT_ROWS_PER_ACCOUNT = 2;
  /** The chain of the newest snapshot in the store (written or loaded); headSeq 0 for none. */
  private SnapshotChain snapshotChain;
  private Connection connection;

  /**
   * Tests only: runs on the writer after a snapshot's rows are written and before they commit, so a
   * test can kill the process in the middle of a snapshot.
   */
  static volatile Runnable snapshotWritingHook = () -> {};

  @Override
  public void metrics(LedgerMetrics metrics) {
    this.metrics = Assert.notNull(metrics, "metrics");
  }

  private DefaultLedger(Database database, LedgerConfig config, Clock businessClock, AuditJournal journal,
      LedgerStore store, LedgerState state, long lastNowMs, SnapshotChain snapshotChain) {
    this.snapshotChain = snapshotChain;
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
    long startNanos = System.nanoTime();
    Loaded loaded;
    try (Connection connection = database.connection()) {
      connection.setAutoCommit(false);
      loaded = load(connection, store, config);
      connection.commit();
    } catch (SQLException e) {
      throw new LedgerStoreException("cannot read the ledger from the store", e);
    }
    LedgerState state = loaded.state();
    state.checkAllInvariants();
    adoptAccountsWithoutLeaf(database, store, journal);
    log.info("Ledger opened [dialect={}, accounts={}, entries={}, snapshotSeq={}, tailEntries={}, holdsOpen={}, startMs={}]",
        database.dialect(), state.accounts().size(), state.nextSeq() - 1, loaded.snapshotSeq(), loaded.tailEntries(),
        state.holdsOpen(), (System.nanoTime() - startNanos) / 1_000_000);
    DefaultLedger ledger = new DefaultLedger(database, config, businessClock, journal, store, state, loaded.lastNowMs(),
        loaded.chain());
    state.useHistory(ledger.new StoreHistory());
    ledger.writer.start();
    return ledger;
  }

  /**
   * The state after start-up: from which snapshot, how many entries replayed after it, and the loaded
   * chain (for the next incremental snapshot; {@link SnapshotChain#NONE} without a snapshot).
   */
  private record Loaded(LedgerState state, long snapshotSeq, long tailEntries, long lastNowMs, SnapshotChain chain) {}

  /**
   * The chain the newest snapshot in the store belongs to: its seq and hash (the base of the next
   * incremental snapshot) and the rows of the increments on top of its full snapshot (they bound the
   * chain: start-up reads all of them).
   */
  private record SnapshotChain(long headSeq, byte[] headHash, long incrementRows) {
    static final SnapshotChain NONE = new SnapshotChain(0, null, 0);
  }

  /**
   * Loads the newest snapshot chain that verifies (each snapshot's hash over its rows, its base's hash
   * and its last entry; row counts; accounts and holds known), then replays the entries after it. A
   * snapshot that does not verify is named in the log and skipped: the history on disk stays the
   * truth, so an older snapshot (an increment's base, an older chain), or at worst a replay of every
   * entry, gives the same balances.
   */
  private static Loaded load(Connection connection, LedgerStore store, LedgerConfig config) throws SQLException {
    List<LedgerStore.SnapshotHeader> headers = store.snapshotHeaders(connection);
    java.util.Map<Long, LedgerStore.SnapshotHeader> bySeq = new java.util.HashMap<>();
    for (LedgerStore.SnapshotHeader header : headers) {
      bySeq.put(header.seq(), header);
    }
    for (LedgerStore.SnapshotHeader header : headers) {
      LedgerState state = accountsOnly(connection, store, config);
      long[] lastNowMs = {Long.MIN_VALUE};
      SnapshotChain[] chain = {SnapshotChain.NONE};
      String refused = restore(connection, store, state, chainOf(header, bySeq), lastNowMs, chain);
      if (refused == null) {
        return replayTail(connection, store, state, header.seq(), lastNowMs[0], chain[0]);
      }
      log.error("Ledger snapshot not used [seq={}, reason={}]; an older one or the whole history is replayed instead",
          header.seq(), refused);
    }
    return replayTail(connection, store, accountsOnly(connection, store, config), 0, Long.MIN_VALUE, SnapshotChain.NONE);
  }

  /** The chain that ends at {@code head}, full snapshot first; null when a base is missing or not older. */
  private static List<LedgerStore.SnapshotHeader> chainOf(LedgerStore.SnapshotHeader head,
      java.util.Map<Long, LedgerStore.SnapshotHeader> bySeq) {
    java.util.ArrayDeque<LedgerStore.SnapshotHeader> chain = new java.util.ArrayDeque<>();
    for (LedgerStore.SnapshotHeader at = head; ; at = bySeq.get(at.baseSeq())) {
      if (at == null) {
        return null;
      }
      chain.addFirst(at);
      if (at.baseSeq() == 0) {
        return List.copyOf(chain);
      }
      if (at.baseSeq() < 0 || at.baseSeq() >= at.seq()) {
        return null; // seqs strictly fall along a chain, so this walk ends
      }
    }
  }

  private static LedgerState accountsOnly(Connection connection, LedgerStore store, LedgerConfig config)
      throws SQLException {
    LedgerState state = new LedgerState(LedgerState.History.NONE, config.transferCacheMax(), config.holdsOpenMax());
    state.recording(false);
    store.readAccounts(connection, state::addAccount);
    return state;
  }

  /** Returns null when the chain verified and is loaded into {@code state}; otherwise why not. */
  private static String restore(Connection connection, LedgerStore store, LedgerState state,
      List<LedgerStore.SnapshotHeader> headers, long[] lastNowMs, SnapshotChain[] loaded) throws SQLException {
    if (headers == null) {
      return "the snapshot it is on top of is not in the store";
    }
    List<LedgerSnapshot> chain = new ArrayList<>(headers.size());
    byte[] baseHash = null;
    long incrementRows = 0;
    for (LedgerStore.SnapshotHeader header : headers) {
      LedgerSnapshot snapshot = store.readSnapshot(connection, header.seq(), header.baseSeq());
      if (snapshot.balances().size() != header.balanceCount() || snapshot.holds().size() != header.holdCount()) {
        return "rows missing in snapshot " + header.seq() + ": " + snapshot.balances().size() + " balances and "
            + snapshot.holds().size() + " holds found, header says " + header.balanceCount() + " and "
            + header.holdCount();
      }
      LedgerEntry last = store.entryAt(connection, header.seq());
      if (last == null) {
        return "the last entry of snapshot " + header.seq() + " is not in the store";
      }
      if (!MessageDigest.isEqual(snapshot.hash(last, baseHash), header.hash())) {
        return "the hash of snapshot " + header.seq() + " does not match its rows, base and last entry";
      }
      lastNowMs[0] = last.appliedAtMs();
      incrementRows += snapshot.incremental() ? snapshot.balances().size() : 0;
      baseHash = header.hash();
      chain.add(snapshot);
    }
    loaded[0] = new SnapshotChain(headers.getLast().seq(), baseHash, incrementRows);
    return state.restore(chain);
  }

  private static Loaded replayTail(Connection connection, LedgerStore store, LedgerState state, long afterSeq,
      long lastNowMs, SnapshotChain chain) throws SQLException {
    long[] lastAndCount = {lastNowMs, 0};
    store.readEntriesAfter(connection, afterSeq, entry -> {
      state.applyEntry(entry);
      lastAndCount[0] = Math.max(lastAndCount[0], entry.appliedAtMs());
      lastAndCount[1]++;
    });
    state.recording(true);
    return new Loaded(state, afterSeq, lastAndCount[1], lastAndCount[0], chain);
  }

  /** The writer's look-ups past the caches, on its own connection; each ends its read transaction. */
  private final class StoreHistory implements LedgerState.History {
    @Override
    public LedgerEntry transfer(long transferId) {
      try {
        Connection c = connection();
        LedgerEntry entry = store.entryOfTransfer(c, transferId);
        c.commit();
        return entry;
      } catch (SQLException e) {
        throw new LedgerStoreException("cannot look up transfer " + transferId + " in the store", e);
      }
    }

    @Override
    public EntryKind resolution(long pendingId) {
      try {
        Connection c = connection();
        EntryKind kind = store.resolutionOf(c, pendingId);
        c.commit();
        return kind;
      } catch (SQLException e) {
        throw new LedgerStoreException("cannot look up the resolution of hold " + pendingId + " in the store", e);
      }
    }
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
          snapshotIfDue(true);
          return;
        }
        batch.clear();
        if (first != null) {
          batch.add(first);
          if (drain(batch, first.size())) {
            applyBatch(batch, false);
            snapshotIfDue(true);
            return;
          }
        }
        applyBatch(batch, false);
        snapshotIfDue(false);
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

  /**
   * Applies a batch in memory, writes it in one transaction, then publishes and acknowledges. A
   * {@code retry} is the second attempt after the store's UNIQUE index refused an id older than the
   * cache: those entries were recalled, so this time they are answered as the retries they are.
   */
  private void applyBatch(List<Submission> batch, boolean retry) {
    long startNanos = System.nanoTime();
    long nowMs = Math.max(lastNowMs, businessClock.millis());
    LedgerState.Mark start = state.mark();
    List<Object> results = new ArrayList<>(batch.size());
    try {
      int expired = state.expireDue(nowMs);
      for (Submission submission : batch) {
        results.add(applyInMemory(submission, nowMs, expired));
      }
    } catch (LedgerStoreException e) {
      // A look-up on disk failed: nothing of the batch is kept.
      state.abortBatch(start);
      log.warn("Ledger batch not applied, a look-up failed [submissions={}, reason={}]", batch.size(), e.toString());
      for (Submission submission : batch) {
        fail(submission, e);
      }
      return;
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
      metrics.batchCommitted(state.batchEntries().size(), System.nanoTime() - persistStartNanos);
    } catch (SQLException e) {
      state.abortBatch(start);
      if (!retry && recallStoredIds(batch)) {
        applyBatch(batch, true);
        return;
      }
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

  /**
   * After the store refused a batch: looks up each of its transfer ids on disk (one index look-up each)
   * and puts those found back in the cache. Returns true when any was found (the batch is then worth
   * applying again).
   */
  private boolean recallStoredIds(List<Submission> batch) {
    List<LedgerEntry> found = new ArrayList<>();
    try {
      Connection c = connection();
      for (Submission submission : batch) {
        if (submission instanceof TransferSubmission t) {
          for (Transfer transfer : t.transfers()) {
            LedgerEntry stored = transfer.id() > 0 ? store.entryOfTransfer(c, transfer.id()) : null;
            if (stored != null) {
              found.add(stored);
            }
          }
        }
      }
      c.commit();
    } catch (SQLException e) {
      log.warn("Ledger could not look up a refused batch's ids [reason={}]", e.toString());
      rollback();
      return false;
    }
    state.recall(found);
    return !found.isEmpty();
  }

  /**
   * Writes a snapshot when {@code snapshotEveryEntries} entries passed since the last one, or on a
   * clean close: an incremental one (only the accounts changed since the last snapshot) while the
   * chain stays within {@link #INCREMENT_ROWS_PER_ACCOUNT}, otherwise a full one.
   */
  private void snapshotIfDue(boolean closing) {
    long last = state.nextSeq() - 1;
    long snapshotSeq = snapshotChain.headSeq();
    if (last == 0 || last == snapshotSeq || (!closing && last - snapshotSeq < config.snapshotEveryEntries())) {
      return;
    }
    long startNanos = System.nanoTime();
    boolean incremental = snapshotSeq > 0 && snapshotChain.incrementRows() + state.changedSinceSnapshotCount()
        <= (long) INCREMENT_ROWS_PER_ACCOUNT * state.accountCount();
    LedgerSnapshot snapshot = incremental ? state.changesSinceSnapshot(snapshotSeq) : state.snapshot();
    try {
      byte[] hash = database.writing(() -> writeSnapshot(snapshot, incremental ? snapshotChain.headHash() : null));
      int rows = snapshot.balances().size();
      snapshotChain = new SnapshotChain(snapshot.seq(), hash, incremental ? snapshotChain.incrementRows() + rows : 0);
      state.snapshotWritten();
      log.info("Ledger snapshot written [seq={}, baseSeq={}, balances={}, holds={}, ms={}]", snapshot.seq(),
          snapshot.baseSeq(), rows, snapshot.holds().size(), (System.nanoTime() - startNanos) / 1_000_000);
    } catch (SQLException e) {
      // Not fatal: every entry is durable already; the next snapshot (or a longer replay) covers it.
      log.warn("Ledger snapshot not written [seq={}, reason={}]", snapshot.seq(), e.toString());
    }
  }

  /** Writes and commits the snapshot; returns its hash. */
  private byte[] writeSnapshot(LedgerSnapshot snapshot, byte[] baseHash) throws SQLException {
    try {
      Connection transaction = connection();
      store.clearSnapshotsFrom(transaction, snapshot.seq()); // a write first, then the reads
      LedgerEntry last = Assert.notNull(store.entryAt(transaction, snapshot.seq()), "last entry of the snapshot");
      byte[] hash = snapshot.hash(last, baseHash);
      store.writeSnapshot(transaction, snapshot, hash, System.currentTimeMillis());
      snapshotWritingHook.run();
      transaction.commit();
      return hash;
    } catch (SQLException e) {
      rollback();
      throw e;
    }
  }

  private void publish(List<AccountBalance> changed) {
    if (changed.isEmpty()) {
      // Nothing to publish (an idle writer's wake-up to expire holds): the version stays, or a
      // balances() copy longer than the wake-up interval (3.3 M accounts under GC) restarts for ever.
      return;
    }
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
