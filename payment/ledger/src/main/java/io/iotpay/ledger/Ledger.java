package io.iotpay.ledger;

import io.iotpay.ledger.audit.AuditJournal;
import io.iotpay.foundation.store.Database;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A double-entry ledger with TigerBeetle's semantics: books of accounts, immutable idempotent
 * transfers, holds that are posted, voided or expire, and linked chains that succeed or fail as one.
 *
 * <p>One writer thread applies submissions in batches, each batch in one database transaction
 * together with its audit leaves (group commit). A returned future completes only after that
 * transaction committed: a transfer reported {@link TransferResult#OK} is durable. Reads are served
 * from immutable snapshots in memory, published after each commit, and never take a lock.
 *
 * <p>Callbacks attached to the futures with non-async methods run on the writer thread; keep them
 * short or use the {@code *Async} variants.
 */
public interface Ledger extends AutoCloseable {
  /**
   * Opens the ledger on a store: applies the ledger's migrations, replays every stored entry into
   * memory, asserts the invariants and starts the writer.
   *
   * @param database the store; not closed by the ledger
   * @param config bounds, never null
   * @param businessClock business time (hold expiry, entry timestamps); never null
   * @param journal the audit log's journal ({@link AuditJournal#none()} for none); never null
   * @throws LedgerStoreException when the store cannot be read
   * @throws AssertionError when the stored history breaks an invariant (a corrupt store)
   */
  static Ledger open(Database database, LedgerConfig config, Clock businessClock, AuditJournal journal) {
    return DefaultLedger.open(database, config, businessClock, journal);
  }

  /**
   * Reports every batch committed from now on to {@code metrics} (docs/metrics.md).
   *
   * @param metrics never null; {@link LedgerMetrics#NONE} until set
   */
  void metrics(LedgerMetrics metrics);

  /**
   * Creates accounts (idempotently: an identical existing account is {@link AccountResult#OK}).
   *
   * @param accounts at most {@code batchTransfersMax}, no nulls
   * @return one result per account, in order, once durable
   * @throws LedgerInputException when the list is null, too long or holds a null
   * @throws LedgerClosedException when the ledger is closed
   */
  CompletableFuture<List<AccountResult>> createAccounts(List<Account> accounts);

  /**
   * Submits transfers; linked chains must end inside the list.
   *
   * @param transfers at most {@code batchTransfersMax}, no nulls
   * @return one result per transfer, in order, once durable; fails with {@link LedgerStoreException} if
   *     the store refused the batch (nothing of it happened)
   * @throws LedgerInputException when the list is null, too long or holds a null
   * @throws LedgerClosedException when the ledger is closed
   */
  CompletableFuture<List<TransferResult>> submit(List<Transfer> transfers);

  /**
   * Makes the writer expire every hold whose timeout has passed on the business clock now (it also
   * does so on its own every {@code expiryPollMs} and before every batch).
   *
   * @return how many holds the resulting batch expired, once durable
   */
  CompletableFuture<Integer> expireDue();

  /** The committed balances of an account; empty if no such account was committed. Lock-free. */
  Optional<AccountBalance> balance(long accountId);

  /**
   * A copy of every account's committed balances, keyed by account id, all as of the same committed
   * batch (so every book in it balances). Lock-free: retries while the writer is publishing.
   */
  Map<Long, AccountBalance> balances();

  /** Stops the writer after the batch in progress; queued submissions fail with {@link LedgerClosedException}. */
  @Override
  void close();
}
