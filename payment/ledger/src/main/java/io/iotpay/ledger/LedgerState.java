package io.iotpay.ledger;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.Assert;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The ledger's state in memory and the rules that change it. Owned by the writer thread (or by the
 * opener during replay); never shared. Every change is recorded in an undo log so that a refused
 * linked chain, or a batch the store refused, is taken back exactly.
 *
 * <p>Live transfers and replayed rows go through the same mutation ({@link #applyEntry}): the rules
 * decide which entry to write, the entry alone decides what changes, so a replay of the stored
 * entries rebuilds exactly the balances the live run had.
 *
 * <p>What is in memory, and why it is bounded: the accounts and their balances (grow with accounts,
 * not with history); the holds still open (at most {@code holdsOpenMax}; a resolved hold leaves at the
 * commit of its batch) and their expiry keys; the most recent {@code transferCacheMax} transfers and
 * resolved holds (insertion-ordered caches). Everything older is on disk and looked up through
 * {@link History}: an id missing from the cache is assumed new on the fast path, a refusal of such an
 * id first asks the disk whether it exists (so a retry gets its idempotent answer), and an accepted one
 * that does exist is caught by the store's UNIQUE index (the writer then recalls it and re-applies the
 * batch).
 */
final class LedgerState {
  /** Longest hold: about 100 years, so {@code appliedAtMs + timeoutMs} cannot overflow. */
  static final long TIMEOUT_MS_MAX = 100L * 366 * 24 * 3600 * 1000;

  /** What the bounded caches no longer hold: the committed history on disk. */
  interface History {
    /** The stored entry of caller id {@code transferId}, or null when there is none. */
    LedgerEntry transfer(long transferId);

    /** The kind of the stored entry resolving hold {@code pendingId}, or null when none does. */
    EntryKind resolution(long pendingId);

    /** For a state that never looks anything up (replay, tests of the rules). */
    History NONE = new History() {
      @Override
      public LedgerEntry transfer(long transferId) {
        return null;
      }

      @Override
      public EntryKind resolution(long pendingId) {
        return null;
      }
    };
  }

  private final Map<Long, AccountState> accounts = new HashMap<>();
  private History history;
  private final int holdsOpenMax;
  /** The most recent transfers by caller id (expiries have no id and are not here); bounded. */
  private final BoundedCache<LedgerEntry> transfers;
  /** Holds resolved in committed batches, by pending id, most recent; bounded. */
  private final BoundedCache<PendingState.Status> resolved;
  /** Open holds, and holds resolved in the batch in progress (they leave at its commit). */
  private final Map<Long, PendingState> pendings = new HashMap<>();
  private final ArrayList<PendingState> resolvedInBatch = new ArrayList<>();
  /** Holds with a timeout, by expiry time; stale keys (resolved, undone) are skipped when reached. */
  private final TreeSet<ExpiryKey> expiries = new TreeSet<>();

  private final ArrayList<Undo> undo = new ArrayList<>();
  private final ArrayList<AccountState> touched = new ArrayList<>();
  /**
   * Accounts whose balances moved since the last snapshot written (live or replayed), so an
   * incremental snapshot copies only them. An account of a batch that was taken back may stay here:
   * its row then repeats the balances it had, which is still exact.
   */
  private final ArrayList<AccountState> changedSinceSnapshot = new ArrayList<>();
  private final ArrayList<LedgerEntry> batchEntries = new ArrayList<>();
  private final ArrayList<Account> batchAccounts = new ArrayList<>();
  private long nextSeq = 1;
  private int holdsOpen;
  /** False during replay: nothing to undo or publish per entry. */
  private boolean recording = true;

  /** An insertion-ordered map that forgets its eldest entry beyond {@code capacity}. */
  private static final class BoundedCache<V> extends java.util.LinkedHashMap<Long, V> {
    private final int capacity;

    BoundedCache(int capacity) {
      super(Math.min(capacity, 1 << 16), 0.75f, false);
      this.capacity = capacity;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, V> eldest) {
      return size() > capacity;
    }
  }

  LedgerState(History history, int transferCacheMax, int holdsOpenMax) {
    this.history = Assert.notNull(history, "history");
    Assert.that(transferCacheMax >= 1 && holdsOpenMax >= 1, "cache bounds [transfers={}, holds={}]",
        transferCacheMax, holdsOpenMax);
    this.transfers = new BoundedCache<>(transferCacheMax);
    this.resolved = new BoundedCache<>(transferCacheMax);
    this.holdsOpenMax = holdsOpenMax;
  }

  record ExpiryKey(long atMs, long pendingId) implements Comparable<ExpiryKey> {
    @Override
    public int compareTo(ExpiryKey other) {
      int byTime = Long.compare(atMs, other.atMs);
      return byTime != 0 ? byTime : Long.compare(pendingId, other.pendingId);
    }
  }

  /** A point the state can be rolled back to. */
  record Mark(int undoSize, int entriesSize, int accountsSize, long nextSeq) {}

  private sealed interface Undo {}

  private record BalanceUndo(AccountState account, long dp, long dpo, long cp, long cpo) implements Undo {}

  private record TransferAdded(long id, boolean pending) implements Undo {}

  private record StatusUndo(PendingState pending, PendingState.Status previous) implements Undo {}

  private record ExpiryRemoved(ExpiryKey key) implements Undo {}

  private record AccountAdded(long id) implements Undo {}

  private record ExpiryTaken(ExpiryKey key) implements Undo {}

  // ---------------------------------------------------------------- batch bookkeeping

  Mark mark() {
    return new Mark(undo.size(), batchEntries.size(), batchAccounts.size(), nextSeq);
  }

  void rollbackTo(Mark mark) {
    for (int i = undo.size() - 1; i >= mark.undoSize(); i--) {
      revert(undo.remove(i));
    }
    batchEntries.subList(mark.entriesSize(), batchEntries.size()).clear();
    batchAccounts.subList(mark.accountsSize(), batchAccounts.size()).clear();
    nextSeq = mark.nextSeq();
  }

  private void revert(Undo change) {
    switch (change) {
      case BalanceUndo b -> {
        b.account().debitsPendingMinor = b.dp();
        b.account().debitsPostedMinor = b.dpo();
        b.account().creditsPendingMinor = b.cp();
        b.account().creditsPostedMinor = b.cpo();
      }
      case TransferAdded t -> {
        transfers.remove(t.id());
        if (t.pending()) {
          PendingState hold = pendings.remove(t.id());
          if (hold != null && hold.expiresAtMs != Long.MAX_VALUE) {
            expiries.remove(new ExpiryKey(hold.expiresAtMs, t.id()));
          }
          holdsOpen--;
        }
      }
      case StatusUndo s -> {
        s.pending().status = s.previous();
        holdsOpen++;
      }
      case AccountAdded a -> accounts.remove(a.id());
      case ExpiryTaken e -> expiries.add(e.key());
      case ExpiryRemoved e -> expiries.add(e.key());
    }
  }

  List<LedgerEntry> batchEntries() {
    return batchEntries;
  }

  List<Account> batchAccounts() {
    return batchAccounts;
  }

  /** The batch is durable: forget its undo log and return the new balances of the accounts it touched. */
  List<AccountBalance> commitBatch() {
    List<AccountBalance> published = new ArrayList<>(touched.size());
    for (AccountState account : touched) {
      account.published = account.snapshot();
      account.touched = false;
      published.add(account.published);
    }
    touched.clear();
    undo.clear();
    batchEntries.clear();
    batchAccounts.clear();
    for (PendingState hold : resolvedInBatch) {
      forgetIfResolved(hold);
    }
    resolvedInBatch.clear();
    return published;
  }

  /** The batch was lost: take back every change since {@code start}. */
  void abortBatch(Mark start) {
    rollbackTo(start);
    for (AccountState account : touched) {
      account.touched = false;
    }
    touched.clear();
    resolvedInBatch.clear();
  }

  /** A resolved hold leaves memory: its status goes to the bounded cache, and to disk with its batch. */
  private void forgetIfResolved(PendingState hold) {
    long id = hold.entry.transferId();
    if (hold.status != PendingState.Status.PENDING && pendings.get(id) == hold) {
      pendings.remove(id);
      resolved.put(id, hold.status);
    }
  }

  /** Where look-ups past the caches go; the writer sets its store once the ledger is open. */
  void useHistory(History history) {
    this.history = Assert.notNull(history, "history");
  }

  /** Puts entries the store holds (found after the UNIQUE index refused a batch) back in the cache. */
  void recall(List<LedgerEntry> entries) {
    for (LedgerEntry entry : entries) {
      transfers.put(entry.transferId(), entry);
    }
  }

  // ---------------------------------------------------------------- accounts

  List<AccountResult> createAccounts(List<Account> submitted) {
    List<AccountResult> results = new ArrayList<>(submitted.size());
    for (Account account : submitted) {
      results.add(createAccount(account));
    }
    return results;
  }

  private AccountResult createAccount(Account account) {
    if (account.id() <= 0) {
      return AccountResult.ID_MUST_BE_POSITIVE;
    }
    if (account.bookId() <= 0) {
      return AccountResult.BOOK_ID_MUST_BE_POSITIVE;
    }
    if (account.flags().debitsMustNotExceedCredits() && account.flags().creditsMustNotExceedDebits()) {
      return AccountResult.FLAGS_ARE_MUTUALLY_EXCLUSIVE;
    }
    AccountState existing = accounts.get(account.id());
    if (existing != null) {
      return compareExisting(existing.account, account);
    }
    addAccount(account);
    return AccountResult.OK;
  }

  private static AccountResult compareExisting(Account existing, Account submitted) {
    if (existing.bookId() != submitted.bookId()) {
      return AccountResult.EXISTS_WITH_DIFFERENT_BOOK_ID;
    }
    if (!existing.currency().equals(submitted.currency())) {
      return AccountResult.EXISTS_WITH_DIFFERENT_CURRENCY;
    }
    if (!existing.flags().equals(submitted.flags())) {
      return AccountResult.EXISTS_WITH_DIFFERENT_FLAGS;
    }
    return AccountResult.OK;
  }

  void addAccount(Account account) {
    Assert.that(!accounts.containsKey(account.id()), "account added twice [account={}]", account.id());
    AccountState state = new AccountState(account);
    accounts.put(account.id(), state);
    if (recording) {
      undo.add(new AccountAdded(account.id()));
      batchAccounts.add(account);
      state.touched = true; // published with the batch, balances zero
      touched.add(state);
    }
  }

  // ---------------------------------------------------------------- transfers

  /** Applies one submission: linked chains all or nothing, every refusal changing nothing. */
  List<TransferResult> applyTransfers(List<Transfer> submitted, long nowMs) {
    TransferResult[] results = new TransferResult[submitted.size()];
    int start = 0;
    while (start < submitted.size()) {
      int end = start;
      while (end < submitted.size() - 1 && submitted.get(end).linked()) {
        end++;
      }
      boolean open = submitted.get(end).linked();
      if (open) {
        refuseChain(results, start, end, end, TransferResult.LINKED_EVENT_CHAIN_OPEN);
      } else {
        applyChain(submitted, results, start, end, nowMs);
      }
      start = end + 1;
    }
    return List.of(results);
  }

  private void applyChain(List<Transfer> submitted, TransferResult[] results, int start, int end, long nowMs) {
    Mark chainStart = mark();
    for (int i = start; i <= end; i++) {
      TransferResult result = applyTransfer(submitted.get(i), nowMs);
      if (result != TransferResult.OK) {
        rollbackTo(chainStart);
        refuseChain(results, start, end, i, result);
        return;
      }
      results[i] = result;
    }
  }

  private static void refuseChain(TransferResult[] results, int start, int end, int failed, TransferResult reason) {
    for (int i = start; i <= end; i++) {
      results[i] = i == failed ? reason : TransferResult.LINKED_EVENT_FAILED;
    }
  }

  private TransferResult applyTransfer(Transfer transfer, long nowMs) {
    if (transfer.id() <= 0) {
      return TransferResult.ID_MUST_BE_POSITIVE;
    }
    LedgerEntry existing = transfers.get(transfer.id());
    if (existing != null) {
      return compareExisting(existing, transfer);
    }
    TransferResult result = switch (transfer.kind()) {
      case SINGLE_PHASE, PENDING -> applyNew(transfer, nowMs);
      case POST_PENDING, VOID_PENDING -> applyResolution(transfer, nowMs);
    };
    if (result != TransferResult.OK) {
      // Refused, so nothing changed: an id older than the cache gets its idempotent answer from disk.
      LedgerEntry stored = history.transfer(transfer.id());
      if (stored != null) {
        transfers.put(stored.transferId(), stored);
        return compareExisting(stored, transfer);
      }
    }
    return result;
  }

  private static TransferResult compareExisting(LedgerEntry existing, Transfer retry) {
    EntryKind kind = EntryKind.of(retry.kind());
    if (existing.kind() != kind) {
      return TransferResult.EXISTS_WITH_DIFFERENT_KIND;
    }
    boolean resolution = kind == EntryKind.POST_PENDING || kind == EntryKind.VOID_PENDING;
    // A post or void may leave accounts (and a void its amount) at 0, meaning "the pending one's".
    long debit = resolution && retry.debitAccountId() == 0 ? existing.debitAccountId() : retry.debitAccountId();
    long credit = resolution && retry.creditAccountId() == 0 ? existing.creditAccountId() : retry.creditAccountId();
    long amount = kind == EntryKind.VOID_PENDING && retry.amountMinor() == 0 ? existing.amountMinor() : retry.amountMinor();
    if (debit != existing.debitAccountId()) {
      return TransferResult.EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID;
    }
    if (credit != existing.creditAccountId()) {
      return TransferResult.EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID;
    }
    if (amount != existing.amountMinor()) {
      return TransferResult.EXISTS_WITH_DIFFERENT_AMOUNT;
    }
    if (retry.pendingId() != existing.pendingId()) {
      return TransferResult.EXISTS_WITH_DIFFERENT_PENDING_ID;
    }
    if (retry.timeoutMs() != existing.timeoutMs()) {
      return TransferResult.EXISTS_WITH_DIFFERENT_TIMEOUT;
    }
    return TransferResult.OK;
  }

  private TransferResult applyNew(Transfer transfer, long nowMs) {
    TransferResult fields = checkNewFields(transfer);
    if (fields != null) {
      return fields;
    }
    AccountState debit = accounts.get(transfer.debitAccountId());
    if (debit == null) {
      return TransferResult.DEBIT_ACCOUNT_NOT_FOUND;
    }
    AccountState credit = accounts.get(transfer.creditAccountId());
    if (credit == null) {
      return TransferResult.CREDIT_ACCOUNT_NOT_FOUND;
    }
    TransferResult fit = checkFit(debit, credit, transfer.amountMinor());
    if (fit != null) {
      return fit;
    }
    if (transfer.kind() == TransferKind.PENDING && holdsOpen >= holdsOpenMax) {
      return TransferResult.HOLDS_OPEN_LIMIT_REACHED;
    }
    Account account = debit.account;
    applyEntry(new LedgerEntry(nextSeq, EntryKind.of(transfer.kind()), transfer.id(), transfer.debitAccountId(),
        transfer.creditAccountId(), transfer.amountMinor(), 0, transfer.timeoutMs(), transfer.linked(),
        account.bookId(), account.currency(), nowMs, 0));
    return TransferResult.OK;
  }

  /** Checks of a new transfer's own fields; null when they are well-formed. */
  private static TransferResult checkNewFields(Transfer transfer) {
    if (transfer.pendingId() != 0) {
      return TransferResult.PENDING_ID_MUST_BE_ZERO;
    }
    if (transfer.kind() == TransferKind.SINGLE_PHASE && transfer.timeoutMs() != 0) {
      return TransferResult.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
    }
    if (transfer.timeoutMs() < 0 || transfer.timeoutMs() > TIMEOUT_MS_MAX) {
      return TransferResult.TIMEOUT_OUT_OF_RANGE;
    }
    if (transfer.amountMinor() <= 0) {
      return TransferResult.AMOUNT_MUST_BE_POSITIVE;
    }
    if (transfer.debitAccountId() == transfer.creditAccountId()) {
      return TransferResult.ACCOUNTS_MUST_BE_DIFFERENT;
    }
    return null;
  }

  /** Checks that {@code amount} may move from debit to credit; null when it may. */
  private static TransferResult checkFit(AccountState debit, AccountState credit, long amount) {
    if (debit.account.bookId() != credit.account.bookId()) {
      return TransferResult.ACCOUNTS_MUST_HAVE_SAME_BOOK;
    }
    if (!debit.account.currency().equals(credit.account.currency())) {
      return TransferResult.ACCOUNTS_MUST_HAVE_SAME_CURRENCY;
    }
    // Balances are never negative, so a sum overflows exactly when it passes Long.MAX_VALUE.
    long debits = debit.debitsPendingMinor + debit.debitsPostedMinor;
    if (debits > Long.MAX_VALUE - amount) {
      return TransferResult.OVERFLOWS_DEBITS;
    }
    long credits = credit.creditsPendingMinor + credit.creditsPostedMinor;
    if (credits > Long.MAX_VALUE - amount) {
      return TransferResult.OVERFLOWS_CREDITS;
    }
    if (debit.account.flags().debitsMustNotExceedCredits() && debits + amount > debit.creditsPostedMinor) {
      return TransferResult.EXCEEDS_CREDITS;
    }
    if (credit.account.flags().creditsMustNotExceedDebits() && credits + amount > credit.debitsPostedMinor) {
      return TransferResult.EXCEEDS_DEBITS;
    }
    return null;
  }

  private TransferResult applyResolution(Transfer transfer, long nowMs) {
    TransferResult fields = checkResolutionFields(transfer);
    if (fields != null) {
      return fields;
    }
    PendingState pending = pendings.get(transfer.pendingId());
    if (pending == null) {
      return notOpen(transfer.pendingId());
    }
    TransferResult against = checkAgainstPending(transfer, pending);
    if (against != null) {
      return against;
    }
    LedgerEntry hold = pending.entry;
    long amount = transfer.kind() == TransferKind.POST_PENDING ? transfer.amountMinor() : hold.amountMinor();
    applyEntry(new LedgerEntry(nextSeq, EntryKind.of(transfer.kind()), transfer.id(), hold.debitAccountId(),
        hold.creditAccountId(), amount, hold.transferId(), 0, transfer.linked(), hold.bookId(), hold.currency(),
        nowMs, 0));
    return TransferResult.OK;
  }

  private static TransferResult checkResolutionFields(Transfer transfer) {
    if (transfer.pendingId() <= 0) {
      return TransferResult.PENDING_ID_MUST_BE_POSITIVE;
    }
    if (transfer.pendingId() == transfer.id()) {
      return TransferResult.PENDING_ID_MUST_DIFFER_FROM_ID;
    }
    if (transfer.timeoutMs() != 0) {
      return TransferResult.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER;
    }
    boolean post = transfer.kind() == TransferKind.POST_PENDING;
    if (post ? transfer.amountMinor() <= 0 : transfer.amountMinor() < 0) {
      return TransferResult.AMOUNT_MUST_BE_POSITIVE;
    }
    return null;
  }

  /** Why {@code pendingId} is not an open hold: never applied, not a hold, or resolved (cache, then disk). */
  private TransferResult notOpen(long pendingId) {
    PendingState.Status status = resolved.get(pendingId);
    if (status == null) {
      LedgerEntry entry = transfers.get(pendingId);
      if (entry == null) {
        entry = history.transfer(pendingId);
      }
      if (entry == null) {
        return TransferResult.PENDING_TRANSFER_NOT_FOUND;
      }
      if (entry.kind() != EntryKind.PENDING) {
        return TransferResult.PENDING_TRANSFER_NOT_PENDING;
      }
      EntryKind resolution = history.resolution(pendingId);
      Assert.notNull(resolution, "hold neither open nor resolved [pending=" + pendingId + "]");
      status = statusAfter(resolution);
    }
    return switch (status) {
      case POSTED -> TransferResult.PENDING_TRANSFER_ALREADY_POSTED;
      case VOIDED -> TransferResult.PENDING_TRANSFER_ALREADY_VOIDED;
      case EXPIRED -> TransferResult.PENDING_TRANSFER_EXPIRED;
      case PENDING -> throw Assert.unreachable("an open hold is in memory [pending=" + pendingId + "]");
    };
  }

  private static TransferResult checkAgainstPending(Transfer transfer, PendingState pending) {
    switch (pending.status) {
      case PENDING -> {}
      case POSTED -> {
        return TransferResult.PENDING_TRANSFER_ALREADY_POSTED;
      }
      case VOIDED -> {
        return TransferResult.PENDING_TRANSFER_ALREADY_VOIDED;
      }
      case EXPIRED -> {
        return TransferResult.PENDING_TRANSFER_EXPIRED;
      }
    }
    LedgerEntry hold = pending.entry;
    if (transfer.debitAccountId() != 0 && transfer.debitAccountId() != hold.debitAccountId()) {
      return TransferResult.PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID;
    }
    if (transfer.creditAccountId() != 0 && transfer.creditAccountId() != hold.creditAccountId()) {
      return TransferResult.PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT_ID;
    }
    if (transfer.kind() == TransferKind.POST_PENDING && transfer.amountMinor() > hold.amountMinor()) {
      return TransferResult.EXCEEDS_PENDING_TRANSFER_AMOUNT;
    }
    if (transfer.kind() == TransferKind.VOID_PENDING
        && transfer.amountMinor() != 0 && transfer.amountMinor() != hold.amountMinor()) {
      return TransferResult.PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT;
    }
    return null;
  }

  // ---------------------------------------------------------------- expiry

  /** Expires every hold due at {@code nowMs}; returns how many. */
  int expireDue(long nowMs) {
    int expired = 0;
    while (!expiries.isEmpty() && expiries.first().atMs() <= nowMs) {
      ExpiryKey key = expiries.pollFirst();
      if (recording) {
        undo.add(new ExpiryTaken(key));
      }
      PendingState pending = pendings.get(key.pendingId());
      if (pending == null || pending.status != PendingState.Status.PENDING || pending.expiresAtMs != key.atMs()) {
        continue; // resolved already, or the hold was taken back with its chain
      }
      LedgerEntry hold = pending.entry;
      applyEntry(new LedgerEntry(nextSeq, EntryKind.EXPIRE_PENDING, 0, hold.debitAccountId(), hold.creditAccountId(),
          hold.amountMinor(), hold.transferId(), 0, false, hold.bookId(), hold.currency(), nowMs, 0));
      expired++;
    }
    return expired;
  }

  // ---------------------------------------------------------------- the one mutation

  /**
   * Applies an entry the rules accepted (live) or the store holds (replay). Asserts what the rules
   * guarantee, so a corrupt store stops the replay instead of producing wrong balances.
   */
  void applyEntry(LedgerEntry entry) {
    Assert.that(entry.seq() == nextSeq, "ledger entry out of sequence [seq={}, expected={}]", entry.seq(), nextSeq);
    AccountState debit = Assert.notNull(accounts.get(entry.debitAccountId()), "debit account of entry " + entry.seq());
    AccountState credit = Assert.notNull(accounts.get(entry.creditAccountId()), "credit account of entry " + entry.seq());
    long amount = entry.amountMinor();
    switch (entry.kind()) {
      case SINGLE_PHASE -> move(debit, credit, 0, amount);
      case PENDING -> {
        move(debit, credit, amount, 0);
        long expiresAtMs = entry.timeoutMs() == 0 ? Long.MAX_VALUE : entry.appliedAtMs() + entry.timeoutMs();
        openHold(entry, expiresAtMs);
      }
      case POST_PENDING -> resolve(entry, debit, credit, amount, PendingState.Status.POSTED);
      case VOID_PENDING, EXPIRE_PENDING -> resolve(entry, debit, credit, 0, statusAfter(entry.kind()));
    }
    if (entry.transferId() != 0) {
      Assert.that(transfers.put(entry.transferId(), entry) == null, "transfer id applied twice [id={}]", entry.transferId());
      if (recording) {
        undo.add(new TransferAdded(entry.transferId(), entry.kind() == EntryKind.PENDING));
      }
    }
    if (recording) {
      batchEntries.add(entry);
    }
    nextSeq = entry.seq() + 1;
  }

  private void openHold(LedgerEntry entry, long expiresAtMs) {
    pendings.put(entry.transferId(), new PendingState(entry, expiresAtMs));
    holdsOpen++;
    if (expiresAtMs != Long.MAX_VALUE) {
      expiries.add(new ExpiryKey(expiresAtMs, entry.transferId()));
    }
  }

  private static PendingState.Status statusAfter(EntryKind kind) {
    return switch (kind) {
      case POST_PENDING -> PendingState.Status.POSTED;
      case VOID_PENDING -> PendingState.Status.VOIDED;
      case EXPIRE_PENDING -> PendingState.Status.EXPIRED;
      case SINGLE_PHASE, PENDING -> throw Assert.unreachable("not a resolution: " + kind);
    };
  }

  private void resolve(LedgerEntry entry, AccountState debit, AccountState credit, long postedMinor,
      PendingState.Status status) {
    PendingState pending = Assert.notNull(pendings.get(entry.pendingId()), "pending transfer of entry " + entry.seq());
    Assert.that(pending.status == PendingState.Status.PENDING,
        "hold resolved twice [pending={}, status={}, seq={}]", entry.pendingId(), pending.status, entry.seq());
    LedgerEntry hold = pending.entry;
    Assert.that(hold.debitAccountId() == entry.debitAccountId() && hold.creditAccountId() == entry.creditAccountId(),
        "entry resolves a hold between other accounts [seq={}]", entry.seq());
    Assert.that(postedMinor <= hold.amountMinor(), "post above the hold [seq={}]", entry.seq());
    move(debit, credit, -hold.amountMinor(), postedMinor);
    if (recording) {
      undo.add(new StatusUndo(pending, pending.status));
    }
    pending.status = status;
    holdsOpen--;
    if (pending.expiresAtMs != Long.MAX_VALUE) {
      // Its expiry key goes now (a live expiry polled it already), so the set holds only open holds' keys.
      ExpiryKey key = new ExpiryKey(pending.expiresAtMs, entry.pendingId());
      if (expiries.remove(key) && recording) {
        undo.add(new ExpiryRemoved(key));
      }
    }
    if (recording) {
      resolvedInBatch.add(pending);
    } else {
      forgetIfResolved(pending);
    }
  }

  private void move(AccountState debit, AccountState credit, long pendingDeltaMinor, long postedDeltaMinor) {
    remember(debit);
    remember(credit);
    markChanged(debit);
    markChanged(credit);
    debit.debitsPendingMinor += pendingDeltaMinor;
    debit.debitsPostedMinor += postedDeltaMinor;
    credit.creditsPendingMinor += pendingDeltaMinor;
    credit.creditsPostedMinor += postedDeltaMinor;
  }

  private void markChanged(AccountState account) {
    if (!account.changedSinceSnapshot) {
      account.changedSinceSnapshot = true;
      changedSinceSnapshot.add(account);
    }
  }

  private void remember(AccountState account) {
    if (!recording) {
      return;
    }
    undo.add(new BalanceUndo(account, account.debitsPendingMinor, account.debitsPostedMinor,
        account.creditsPendingMinor, account.creditsPostedMinor));
    if (!account.touched) {
      account.touched = true;
      touched.add(account);
    }
  }

  // ---------------------------------------------------------------- replay

  /** Switches replay mode on (no undo, nothing collected for a batch) or off. */
  void recording(boolean on) {
    recording = on;
    if (on) {
      for (AccountState account : accounts.values()) {
        account.published = account.snapshot();
      }
    }
  }

  long nextSeq() {
    return nextSeq;
  }

  int holdsOpen() {
    return holdsOpen;
  }

  int transfersCached() {
    return transfers.size();
  }

  /** The committed state as a full snapshot; only between batches (nothing applied and not yet committed). */
  LedgerSnapshot snapshot() {
    Assert.that(undo.isEmpty() && batchEntries.isEmpty(), "snapshot inside a batch");
    List<LedgerSnapshot.Balance> balances = new ArrayList<>();
    for (AccountState a : accounts.values()) {
      if ((a.debitsPendingMinor | a.debitsPostedMinor | a.creditsPendingMinor | a.creditsPostedMinor) != 0) {
        balances.add(balanceOf(a));
      }
    }
    balances.sort(java.util.Comparator.comparingLong(LedgerSnapshot.Balance::accountId));
    return new LedgerSnapshot(nextSeq - 1, 0, balances, openHolds());
  }

  /**
   * The committed state as an incremental snapshot on top of the snapshot at {@code baseSeq}: the
   * balances of every account changed since the last {@link #snapshotWritten} (zeros included) and
   * every hold open. Only between batches.
   */
  LedgerSnapshot changesSinceSnapshot(long baseSeq) {
    Assert.that(undo.isEmpty() && batchEntries.isEmpty(), "snapshot inside a batch");
    Assert.that(baseSeq >= 1 && baseSeq < nextSeq - 1, "base snapshot before this one [baseSeq={}]", baseSeq);
    List<LedgerSnapshot.Balance> balances = new ArrayList<>(changedSinceSnapshot.size());
    for (AccountState a : changedSinceSnapshot) {
      if (accounts.get(a.account.id()) == a) { // an account whose creation was taken back is not in the store
        balances.add(balanceOf(a));
      }
    }
    balances.sort(java.util.Comparator.comparingLong(LedgerSnapshot.Balance::accountId));
    return new LedgerSnapshot(nextSeq - 1, baseSeq, balances, openHolds());
  }

  /** How many accounts the ledger has. */
  int accountCount() {
    return accounts.size();
  }

  /** How many accounts changed since the last snapshot written (an upper bound of an incremental one's rows). */
  int changedSinceSnapshotCount() {
    return changedSinceSnapshot.size();
  }

  /** A snapshot of the current state is committed: the next incremental one starts from here. */
  void snapshotWritten() {
    for (AccountState a : changedSinceSnapshot) {
      a.changedSinceSnapshot = false;
    }
    changedSinceSnapshot.clear();
  }

  private static LedgerSnapshot.Balance balanceOf(AccountState a) {
    return new LedgerSnapshot.Balance(a.account.id(), a.debitsPendingMinor, a.debitsPostedMinor, a.creditsPendingMinor,
        a.creditsPostedMinor);
  }

  private List<LedgerEntry> openHolds() {
    List<LedgerEntry> holds = new ArrayList<>(holdsOpen);
    for (PendingState hold : pendings.values()) {
      if (hold.status == PendingState.Status.PENDING) {
        holds.add(hold.entry);
      }
    }
    holds.sort(java.util.Comparator.comparingLong(LedgerEntry::seq));
    return holds;
  }

  /**
   * Loads a chain of snapshots whose hashes verified into a state that has its accounts and nothing
   * else (replay mode): a full snapshot first, then each incremental one on top of the one before it.
   * The balances are the full one's overwritten by each increment's; the holds are the last one's.
   * Returns null when loaded; otherwise why not (an account the store does not have, a hold row that
   * is not a hold, a broken chain), and the state is then half-loaded: the caller starts over with a
   * new one.
   */
  String restore(List<LedgerSnapshot> chain) {
    Assert.that(!recording && nextSeq == 1 && pendings.isEmpty(), "restore into a used state");
    Assert.that(!chain.isEmpty() && chain.getFirst().baseSeq() == 0, "a chain starts with a full snapshot");
    LedgerSnapshot previous = null;
    for (LedgerSnapshot snapshot : chain) {
      if (previous != null && snapshot.baseSeq() != previous.seq()) {
        return "snapshot " + snapshot.seq() + " is not on top of snapshot " + previous.seq();
      }
      for (LedgerSnapshot.Balance b : snapshot.balances()) {
        AccountState account = accounts.get(b.accountId());
        if (account == null) {
          return "unknown account " + b.accountId();
        }
        account.debitsPendingMinor = b.debitsPendingMinor();
        account.debitsPostedMinor = b.debitsPostedMinor();
        account.creditsPendingMinor = b.creditsPendingMinor();
        account.creditsPostedMinor = b.creditsPostedMinor();
      }
      previous = snapshot;
    }
    LedgerSnapshot last = chain.getLast();
    for (LedgerEntry hold : last.holds()) {
      if (hold.kind() != EntryKind.PENDING || hold.seq() > last.seq()) {
        return "hold row " + hold.seq() + " is not a hold before the snapshot";
      }
      openHold(hold, hold.timeoutMs() == 0 ? Long.MAX_VALUE : hold.appliedAtMs() + hold.timeoutMs());
    }
    nextSeq = last.seq() + 1;
    return null;
  }

  Collection<AccountState> accounts() {
    return accounts.values();
  }

  // ---------------------------------------------------------------- invariants

  /**
   * After a batch, before its commit: each touched account keeps its flags, and the batch's changes
   * balance per book and currency. Untouched accounts did not change, and the state before the batch
   * balanced (checked in full at start-up), so this proves every book still balances.
   */
  void checkBatchInvariants() {
    Map<BookCurrency, long[]> deltas = new HashMap<>();
    for (AccountState account : touched) {
      checkAccount(account);
      AccountBalance before = account.published;
      add(deltas, account.account, account.debitsPendingMinor - before.debitsPendingMinor(),
          account.debitsPostedMinor - before.debitsPostedMinor(),
          account.creditsPendingMinor - before.creditsPendingMinor(),
          account.creditsPostedMinor - before.creditsPostedMinor());
    }
    checkSums(deltas, "batch");
  }

  /** Every account keeps its flags; every book (and so every currency) balances. */
  void checkAllInvariants() {
    Map<BookCurrency, long[]> sums = new HashMap<>();
    for (AccountState account : accounts.values()) {
      checkAccount(account);
      add(sums, account.account, account.debitsPendingMinor, account.debitsPostedMinor,
          account.creditsPendingMinor, account.creditsPostedMinor);
    }
    checkSums(sums, "ledger");
  }

  private record BookCurrency(long bookId, CurrencyUnit currency) {}

  private static void add(Map<BookCurrency, long[]> sums, Account account, long dp, long dpo, long cp, long cpo) {
    long[] sum = sums.computeIfAbsent(new BookCurrency(account.bookId(), account.currency()), key -> new long[4]);
    // Exact arithmetic: a sum that overflows is itself a broken invariant, not a wrap-around.
    sum[0] = Math.addExact(sum[0], dp);
    sum[1] = Math.addExact(sum[1], dpo);
    sum[2] = Math.addExact(sum[2], cp);
    sum[3] = Math.addExact(sum[3], cpo);
  }

  private static void checkSums(Map<BookCurrency, long[]> sums, String scope) {
    Map<CurrencyUnit, long[]> byCurrency = new HashMap<>();
    for (Map.Entry<BookCurrency, long[]> book : sums.entrySet()) {
      long[] sum = book.getValue();
      Assert.that(sum[0] == sum[2] && sum[1] == sum[3],
          "book does not balance [scope={}, book={}, currency={}, debitsPending={}, creditsPending={}, debitsPosted={}, creditsPosted={}]",
          scope, book.getKey().bookId(), book.getKey().currency(), sum[0], sum[2], sum[1], sum[3]);
      long[] currency = byCurrency.computeIfAbsent(book.getKey().currency(), key -> new long[2]);
      currency[0] = Math.addExact(currency[0], Math.subtractExact(sum[0], sum[2]));
      currency[1] = Math.addExact(currency[1], Math.subtractExact(sum[1], sum[3]));
    }
    for (Map.Entry<CurrencyUnit, long[]> currency : byCurrency.entrySet()) {
      Assert.that(currency.getValue()[0] == 0 && currency.getValue()[1] == 0,
          "currency does not sum to zero [scope={}, currency={}]", scope, currency.getKey());
    }
  }

  private static void checkAccount(AccountState account) {
    long id = account.account.id();
    Assert.that(account.debitsPendingMinor >= 0 && account.debitsPostedMinor >= 0
            && account.creditsPendingMinor >= 0 && account.creditsPostedMinor >= 0,
        "negative balance [account={}]", id);
    AccountFlags flags = account.account.flags();
    Assert.that(!flags.debitsMustNotExceedCredits()
            || account.debitsPendingMinor + account.debitsPostedMinor <= account.creditsPostedMinor,
        "debits exceed credits [account={}]", id);
    Assert.that(!flags.creditsMustNotExceedDebits()
            || account.creditsPendingMinor + account.creditsPostedMinor <= account.debitsPostedMinor,
        "credits exceed debits [account={}]", id);
  }
}
