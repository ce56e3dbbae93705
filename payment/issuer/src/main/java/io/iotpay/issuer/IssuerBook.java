package io.iotpay.issuer;

import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.AccountFlags;
import io.iotpay.ledger.AccountResult;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The issuer's book in the shared ledger: its system accounts (due to the switch, funding,
 * arrears), rider accounts (the ledger account and its kind and credit limit in {@code
 * issuer_account}), deposits, what a rider may still spend, and the submission of its transfers.
 * Every capability of the issuer posts through it. Thread-safe as the ledger and store are.
 */
public final class IssuerBook {
  private static final int RIDER_OFFSET = 1000;
  /** Account ids per IN (...) list of the batch reads (well below SQLite's and PostgreSQL's parameter limits). */
  private static final int IN_LIST_MAX = 500;

  private final IssuerConfig config;
  private final IssuerStore store;
  private final Ledger ledger;

  /** Opens the system accounts (idempotent across restarts). */
  public IssuerBook(IssuerConfig config, IssuerStore store, Ledger ledger) {
    this.config = config;
    this.store = store;
    this.ledger = ledger;
    createAccounts(List.of(
        Account.of(dueToSwitchAccountId(), config.bookId(), config.currency()),
        Account.of(fundingAccountId(), config.bookId(), config.currency()),
        Account.of(arrearsAccountId(), config.bookId(), config.currency())));
  }

  /** The issuer's ledger book. */
  public long bookId() {
    return config.bookId();
  }

  /** Account the issuer owes the switch on (credited by every fare cleared). */
  public long dueToSwitchAccountId() {
    return config.accountIdBase() + 1;
  }

  /** Where riders' deposits come from (the issuer's cash). */
  public long fundingAccountId() {
    return config.accountIdBase() + 2;
  }

  /** Fares the issuer owes the switch but could not debit from a rider. */
  public long arrearsAccountId() {
    return config.accountIdBase() + 3;
  }

  /**
   * Opens rider account number {@code riderNumber} in the issuer's book.
   *
   * @param creditLimitMinor the credit limit for {@link RiderAccountKind#CREDIT}, 0 for debit
   * @return the ledger account id
   * @throws IssuerInputException for a negative number or limit
   */
  public long openRiderAccount(int riderNumber, RiderAccountKind kind, long creditLimitMinor) {
    if (riderNumber < 0 || creditLimitMinor < 0 || (kind == RiderAccountKind.DEBIT && creditLimitMinor != 0)) {
      throw new IssuerInputException("rider account " + riderNumber + ": bad number, kind or credit limit");
    }
    long id = config.accountIdBase() + RIDER_OFFSET + riderNumber;
    AccountFlags flags = switch (kind) {
      case DEBIT -> AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS;
      case CREDIT -> AccountFlags.NONE;
    };
    createAccounts(List.of(new Account(id, config.bookId(), config.currency(), flags)));
    if (account(id).isEmpty()) {
      store.update("INSERT INTO issuer_account (account_id, kind, credit_limit_minor) VALUES (?, ?, ?)",
          id, kind.name(), creditLimitMinor);
    }
    return id;
  }

  /** Ledger accounts created per call when opening rider accounts in bulk (a ledger batch's bound). */
  private static final int BULK_ACCOUNTS_PER_CALL = 8_190;

  /**
   * Opens debit rider accounts {@code firstRiderNumber .. firstRiderNumber + count - 1}: ledger
   * accounts in full batches, then their rows in ONE transaction (all or none). For loads such as the
   * clearing bench, where one call per rider would take hours.
   *
   * @return the ledger account ids, in rider order
   * @throws IssuerInputException for a negative number or count, or an account already there
   */
  public List<Long> openDebitRiderAccounts(int firstRiderNumber, int count) {
    if (firstRiderNumber < 0 || count < 1) {
      throw new IssuerInputException("bulk rider accounts: " + firstRiderNumber + " + " + count + " out of range");
    }
    List<Long> ids = new ArrayList<>(count);
    List<Account> part = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long id = config.accountIdBase() + RIDER_OFFSET + firstRiderNumber + i;
      ids.add(id);
      part.add(new Account(id, config.bookId(), config.currency(), AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS));
      if (part.size() == BULK_ACCOUNTS_PER_CALL || i == count - 1) {
        createAccounts(part);
        part = new ArrayList<>();
      }
    }
    try {
      store.inTransaction("bulk account insert failed", c -> {
        try (PreparedStatement s = c.prepareStatement(
            "INSERT INTO issuer_account (account_id, kind, credit_limit_minor) VALUES (?, ?, 0)")) {
          for (long id : ids) {
            s.setLong(1, id);
            s.setString(2, RiderAccountKind.DEBIT.name());
            s.addBatch();
          }
          s.executeBatch();
        }
        return null;
      });
    } catch (IllegalStateException e) {
      throw new IssuerInputException("bulk rider accounts: an account is already there (" + e.getMessage() + ")");
    }
    return ids;
  }

  /** A rider account row. */
  public record RiderAccount(long accountId, RiderAccountKind kind, long creditLimitMinor) {}

  /** The account's kind and credit limit, or empty. */
  public Optional<RiderAccount> account(long accountId) {
    try (Connection c = store.connection();
        PreparedStatement s = c.prepareStatement("SELECT kind, credit_limit_minor FROM issuer_account WHERE account_id = ?")) {
      s.setLong(1, accountId);
      try (ResultSet r = s.executeQuery()) {
        return r.next()
            ? Optional.of(new RiderAccount(accountId, RiderAccountKind.valueOf(r.getString(1)), r.getLong(2)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("issuer registry: account read failed", e);
    }
  }

  /** Credits a rider's account from the issuer's funding account (idempotent on {@code transferId}). */
  public TransferResult deposit(long transferId, long accountId, long amountMinor) {
    return submit(List.of(Transfer.single(transferId, fundingAccountId(), accountId, amountMinor))).get(0);
  }

  /**
   * What the rider may still spend: for a debit account its balance; for a credit account the
   * limit minus the debt. The transit quota on the card is not subtracted here (see {@link RiderAccountKind}).
   *
   * @throws IssuerInputException for an unknown account
   */
  public long availableMinor(long accountId) {
    RiderAccount account = account(accountId)
        .orElseThrow(() -> new IssuerInputException("no rider account " + accountId));
    long balance = ledger.balance(accountId).map(AccountBalance::creditBalanceMinor).orElse(0L);
    return switch (account.kind()) {
      case DEBIT -> balance;
      case CREDIT -> account.creditLimitMinor() + balance;
    };
  }

  /**
   * What the rider account can still be debited: a credit account's available limit (the issuer
   * enforces it, see RiderAccountKind); a debit account's posted credits less its posted and pending
   * debits (what the ledger's debits-must-not-exceed-credits flag allows).
   */
  public long roomMinor(long accountId) {
    return roomMinor(accountId, account(accountId).orElse(null));
  }

  /**
   * {@link #roomMinor(long)} of each of {@code accountIds}, their kinds read in a few statements
   * instead of one per account: clearing asks for every rider account of a chunk at once (one
   * account per card, thousands per chunk).
   */
  public Map<Long, Long> roomsMinor(Collection<Long> accountIds) {
    Map<Long, RiderAccount> accounts = HashMap.newHashMap(accountIds.size());
    try (Connection c = store.connection()) {
      IssuerStore.inBatches(c, new ArrayList<>(accountIds), IN_LIST_MAX,
          "SELECT account_id, kind, credit_limit_minor FROM issuer_account WHERE account_id IN (", "?", ")",
          (s, part) -> {
            int i = 0;
            for (long id : part) {
              s.setLong(++i, id);
            }
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                accounts.put(r.getLong(1), new RiderAccount(r.getLong(1), RiderAccountKind.valueOf(r.getString(2)),
                    r.getLong(3)));
              }
            }
          });
    } catch (SQLException e) {
      throw new IllegalStateException("issuer registry: account read failed", e);
    }
    Map<Long, Long> rooms = HashMap.newHashMap(accountIds.size());
    for (long id : accountIds) {
      rooms.put(id, roomMinor(id, accounts.get(id)));
    }
    return rooms;
  }

  /** The room of {@code accountId} whose registry row is {@code account} (null: not a rider account, as a debit one). */
  private long roomMinor(long accountId, RiderAccount account) {
    Optional<AccountBalance> balance = ledger.balance(accountId);
    if (account != null && account.kind() == RiderAccountKind.CREDIT) {
      return account.creditLimitMinor() + balance.map(AccountBalance::creditBalanceMinor).orElse(0L);
    }
    return balance.map(b -> b.creditsPostedMinor() - b.debitsPostedMinor() - b.debitsPendingMinor()).orElse(0L);
  }

  /** Whether the account can carry a quota of {@code quotaMinor} (a debit account: balance ≥ 0). */
  public boolean canCarry(long accountId, long quotaMinor) {
    return availableMinor(accountId) >= (isCredit(accountId) ? quotaMinor : 0);
  }

  public boolean isCredit(long accountId) {
    return account(accountId).map(a -> a.kind() == RiderAccountKind.CREDIT).orElse(false);
  }

  /** Submits transfers to the issuer's book and waits for the results, in order. */
  public List<TransferResult> submit(List<Transfer> transfers) {
    return ledger.submit(transfers).join();
  }

  private void createAccounts(List<Account> accounts) {
    List<AccountResult> results = ledger.createAccounts(accounts).join();
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i) != AccountResult.OK) {
        throw new IssuerInputException("ledger refused account " + accounts.get(i).id() + ": " + results.get(i));
      }
    }
  }
}
