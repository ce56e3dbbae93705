package io.iotpay.issuer;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.transit.TransitRecord.CardTransactionKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The issuer's persistent state in its own tables (Flyway component {@code issuer}): cards, rider
 * accounts, cleared card transactions, deny list. Plain JDBC; every method is one short statement
 * or transaction.
 */
final class CardRegistry {
  /** The columns {@link #query} maps, in this order. */
  private static final String CARD_COLUMNS = "pan, pan_sequence, suite, account_id, status, push_atc,"
      + " quota_known_minor, quota_configured_minor, last_atc";
  private final Database database;

  CardRegistry(Database database) {
    this.database = database;
    database.migrate("issuer");
  }

  void insert(CardRecord card) {
    update("INSERT INTO issuer_card (pan, pan_sequence, suite, account_id, status, push_atc, quota_known_minor,"
        + " quota_configured_minor, last_atc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        card.pan().digits(), card.panSequence(), card.suite().name(), card.accountId(), card.status().name(),
        card.pushAtc(), card.quotaKnownMinor(), card.quotaConfiguredMinor(), card.lastAtc());
  }

  /** Inserts many rider accounts of one kind and credit limit in ONE transaction (all or none). */
  void insertAccounts(List<Long> accountIds, RiderAccountKind kind, long creditLimitMinor) {
    try (Connection c = database.connection()) {
      c.setAutoCommit(false);
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO issuer_account (account_id, kind, credit_limit_minor) VALUES (?, ?, ?)")) {
        for (long id : accountIds) {
          bind(s, id, kind.name(), creditLimitMinor);
          s.addBatch();
        }
        s.executeBatch();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IssuerInputException("issuer registry: bulk account insert failed (an account already there?): "
          + e.getMessage());
    }
  }

  /** Inserts many cards in ONE transaction (all or none). */
  void insertAll(List<CardRecord> cards) {
    try (Connection c = database.connection()) {
      c.setAutoCommit(false);
      try (PreparedStatement s = c.prepareStatement("INSERT INTO issuer_card (pan, pan_sequence, suite, account_id,"
          + " status, push_atc, quota_known_minor, quota_configured_minor, last_atc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (CardRecord card : cards) {
          bind(s, card.pan().digits(), card.panSequence(), card.suite().name(), card.accountId(), card.status().name(),
              card.pushAtc(), card.quotaKnownMinor(), card.quotaConfiguredMinor(), card.lastAtc());
          s.addBatch();
        }
        s.executeBatch();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IssuerInputException("issuer registry: bulk card insert failed (a PAN already taken?): "
          + e.getMessage());
    }
  }

  /**
   * Writes every field but the Push ATC, which only {@link #nextPushAtc} moves, and the last cleared
   * ATC, which only clearing moves ({@link #recordFile}, never down): clearing skips the duplicate
   * probe for a record above it, so it must never fall below an ATC that was cleared.
   */
  void save(CardRecord card) {
    update("UPDATE issuer_card SET status = ?, quota_known_minor = ?, quota_configured_minor = ? WHERE pan = ?",
        card.status().name(), card.quotaKnownMinor(), card.quotaConfiguredMinor(), card.pan().digits());
  }

  Optional<CardRecord> find(Pan pan) {
    List<CardRecord> cards = query("SELECT " + CARD_COLUMNS + " FROM issuer_card WHERE pan = ?", pan.digits());
    return cards.isEmpty() ? Optional.empty() : Optional.of(cards.get(0));
  }

  List<CardRecord> all() {
    return query("SELECT " + CARD_COLUMNS + " FROM issuer_card ORDER BY pan");
  }

  int cardCount() {
    return (int) single("SELECT COUNT(*) FROM issuer_card");
  }

  /**
   * Moves the card's Push ATC on by one and returns it, durably, before the push is sent: a push
   * whose result is lost is never resent with the same ATC.
   */
  int nextPushAtc(Pan pan) {
    try (Connection c = database.connection()) {
      c.setAutoCommit(false);
      int next;
      try (PreparedStatement s = c.prepareStatement("SELECT push_atc FROM issuer_card WHERE pan = ?")) {
        s.setString(1, pan.digits());
        try (ResultSet r = s.executeQuery()) {
          if (!r.next()) {
            throw new IssuerInputException("no card " + pan);
          }
          next = r.getInt(1) + 1;
        }
      }
      if (next > 0xFFFF) {
        c.rollback();
        throw new IssuerInputException("card " + pan + ": Push ATC exhausted");
      }
      try (PreparedStatement s = c.prepareStatement("UPDATE issuer_card SET push_atc = ? WHERE pan = ?")) {
        s.setInt(1, next);
        s.setString(2, pan.digits());
        s.executeUpdate();
      }
      c.commit();
      return next;
    } catch (SQLException e) {
      throw new IllegalStateException("issuer registry: Push ATC update failed", e);
    }
  }

  void insertAccount(long accountId, RiderAccountKind kind, long creditLimitMinor) {
    update("INSERT INTO issuer_account (account_id, kind, credit_limit_minor) VALUES (?, ?, ?)",
        accountId, kind.name(), creditLimitMinor);
  }

  /** The account's kind and credit limit, or empty. */
  Optional<RiderAccount> account(long accountId) {
    try (Connection c = database.connection();
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

  boolean isCleared(CardTransactionKey key) {
    return single("SELECT COUNT(*) FROM issuer_cleared WHERE pan = ? AND pan_sequence = ? AND atc = ?",
        key.pan().digits(), key.panSequence(), key.atc()) > 0;
  }

  /** PANs per IN (...) list of the batch reads (well below SQLite's and PostgreSQL's parameter limits). */
  private static final int IN_LIST_MAX = 500;

  /**
   * The cards among {@code pans} (absent ones are missing from the map), read in a few statements
   * instead of one per card: clearing reads a whole chunk of records' cards at once.
   */
  java.util.Map<Pan, CardRecord> findAll(java.util.Collection<Pan> pans) {
    java.util.Map<Pan, CardRecord> out = java.util.HashMap.newHashMap(pans.size());
    List<Pan> all = new ArrayList<>(pans);
    try (Connection c = database.connection()) {
      inBatches(c, all, IN_LIST_MAX, "SELECT " + CARD_COLUMNS + " FROM issuer_card WHERE pan IN (", "?", ")",
          (s, part) -> {
            int i = 0;
            for (Pan pan : part) {
              s.setString(++i, pan.digits());
            }
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                CardRecord card = card(r);
                out.put(card.pan(), card);
              }
            }
          });
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("issuer registry: card query failed", e);
    }
  }

  /** Binds one batch of items into a statement and runs it. */
  @FunctionalInterface
  private interface BatchWork<T> {
    void run(PreparedStatement statement, List<T> batch) throws SQLException;
  }

  /**
   * Runs {@code work} over {@code items} in batches of {@code size}, with a statement of {@code head}
   * + {@code size} comma-separated {@code each} + {@code tail}: prepared once for all full batches (a
   * statement of a few hundred parameters costs more to prepare than to run), once more for the rest.
   */
  private static <T> void inBatches(Connection c, List<T> items, int size, String head, String each, String tail,
      BatchWork<T> work) throws SQLException {
    int full = items.size() / size * size;
    if (full > 0) {
      try (PreparedStatement s = c.prepareStatement(head + String.join(", ", java.util.Collections.nCopies(size, each))
          + tail)) {
        for (int start = 0; start < full; start += size) {
          work.run(s, items.subList(start, start + size));
        }
      }
    }
    if (full < items.size()) {
      try (PreparedStatement s = c.prepareStatement(head
          + String.join(", ", java.util.Collections.nCopies(items.size() - full, each)) + tail)) {
        work.run(s, items.subList(full, items.size()));
      }
    }
  }

  /** Card transactions per exact-key lookup statement: 3 parameters each. */
  private static final int KEYS_PER_LOOKUP = 500;

  /**
   * Those of {@code keys} already cleared, in a few statements (a join of the keys as a VALUES list
   * with the cleared table's primary key, so only the duplicates come back, usually none).
   */
  java.util.Set<CardTransactionKey> clearedAmong(java.util.Collection<CardTransactionKey> keys) {
    java.util.Set<CardTransactionKey> out = new java.util.HashSet<>();
    try (Connection c = database.connection()) {
      inBatches(c, new ArrayList<>(keys), KEYS_PER_LOOKUP, "SELECT t.pan, t.pan_sequence, t.atc FROM (VALUES ",
          "(?, ?, ?)", ") AS v JOIN issuer_cleared t ON t.pan = v.column1 AND t.pan_sequence = v.column2"
              + " AND t.atc = v.column3", (s, part) -> {
            int i = 0;
            for (CardTransactionKey key : part) {
              s.setString(++i, key.pan().digits());
              s.setInt(++i, key.panSequence());
              s.setInt(++i, key.atc());
            }
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                out.add(new CardTransactionKey(Pan.of(r.getString(1)), r.getInt(2), r.getInt(3)));
              }
            }
          });
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("issuer registry: cleared read failed", e);
    }
  }

  /** The deny list's version: 1 when empty, +1 for every card added. */
  long denyVersion() {
    return Math.max(1, single("SELECT COALESCE(MAX(version), 1) FROM issuer_deny"));
  }

  SortedSet<Pan> deniedPans() {
    SortedSet<Pan> pans = new TreeSet<>();
    try (Connection c = database.connection();
        PreparedStatement s = c.prepareStatement("SELECT pan FROM issuer_deny");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        pans.add(Pan.of(r.getString(1)));
      }
      return pans;
    } catch (SQLException e) {
      throw new IllegalStateException("issuer registry: deny list read failed", e);
    }
  }

  /**
   * Records one clearing chunk's outcome in ONE transaction: the card transactions cleared (each
   * with the transfer that carries its fare, if any), the fare postings about to be submitted
   * (state PLANNED), the cards' new quota / status, and the cards denied (each new denial moves the
   * version by one).
   */
  void recordFile(List<Cleared> cleared, java.util.Collection<CardRecord> cards, java.util.Collection<Pan> denied,
      java.util.Collection<FarePosting> postings) {
    // In key order: consecutive rows fall on the same B-tree pages (the keys arrive in random order).
    List<Cleared> byKey = new ArrayList<>(cleared);
    byKey.sort(CLEARED_ORDER);
    List<CardRecord> byPan = new ArrayList<>(cards);
    byPan.sort(java.util.Comparator.comparing(card -> card.pan().digits()));
    List<PanAtc> highest = highestAtcs(byKey);
    inTransaction("clearing file not recorded", c -> {
      insertCleared(c, byKey);
      try (PreparedStatement s = c.prepareStatement("INSERT INTO issuer_fare_posting (transfer_id, account_id,"
          + " amount_minor, records, state) VALUES (?, ?, ?, ?, 'PLANNED')")) {
        for (FarePosting posting : postings) {
          bind(s, posting.transferId(), posting.accountId(), posting.amountMinor(), posting.records());
          s.addBatch();
        }
        s.executeBatch();
      }
      // last_atc never moves down (another writer may have moved it since the chunk's cards were read)
      // and ends at least at the highest ATC cleared here, whatever the caller passed as cards: the
      // duplicate probe skips records above it.
      String raise = "last_atc = CASE WHEN last_atc > ? THEN last_atc ELSE ? END";
      try (PreparedStatement s = c.prepareStatement("UPDATE issuer_card SET status = ?, quota_known_minor = ?, "
          + raise + " WHERE pan = ?");
          PreparedStatement atcOnly = c.prepareStatement("UPDATE issuer_card SET " + raise + " WHERE pan = ?")) {
        int h = 0;
        for (CardRecord card : byPan) {
          String pan = card.pan().digits();
          while (h < highest.size() && highest.get(h).pan().compareTo(pan) < 0) {
            bind(atcOnly, highest.get(h).atc(), highest.get(h).atc(), highest.get(h).pan());
            atcOnly.addBatch();
            h++;
          }
          int lastAtc = card.lastAtc();
          if (h < highest.size() && highest.get(h).pan().equals(pan)) {
            lastAtc = Math.max(lastAtc, highest.get(h).atc());
            h++;
          }
          CardStatus status = !denied.isEmpty() && denied.contains(card.pan()) ? CardStatus.DENIED : card.status();
          bind(s, status.name(), card.quotaKnownMinor(), lastAtc, lastAtc, pan);
          s.addBatch();
        }
        for (; h < highest.size(); h++) {
          bind(atcOnly, highest.get(h).atc(), highest.get(h).atc(), highest.get(h).pan());
          atcOnly.addBatch();
        }
        s.executeBatch();
        atcOnly.executeBatch();
      }
      addToDenyList(c, denied);
      return null;
    });
  }

  /** A card and the highest ATC cleared for it in one {@link #recordFile} call. */
  private record PanAtc(String pan, int atc) {}

  /** Per PAN, the highest ATC among {@code byKey} (in key order: a PAN's rows are consecutive, its highest ATC last). */
  private static List<PanAtc> highestAtcs(List<Cleared> byKey) {
    List<PanAtc> out = new ArrayList<>();
    for (int i = 0; i < byKey.size(); i++) {
      String pan = byKey.get(i).key().pan().digits();
      int atc = byKey.get(i).key().atc();
      while (i + 1 < byKey.size() && byKey.get(i + 1).key().pan().digits().equals(pan)) {
        i++;
        atc = Math.max(atc, byKey.get(i).key().atc());
      }
      out.add(new PanAtc(pan, atc));
    }
    return out;
  }

  private static final java.util.Comparator<Cleared> CLEARED_ORDER = java.util.Comparator
      .comparing((Cleared one) -> one.key().pan().digits())
      .thenComparingInt(one -> one.key().panSequence())
      .thenComparingInt(one -> one.key().atc());

  /** A transaction's statements, given its connection. */
  @FunctionalInterface
  private interface TransactionWork<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} as ONE write transaction (under the store's write lock): committed when it
   * returns, rolled back when it throws.
   *
   * @throws IllegalStateException naming {@code failure} when the store refuses it
   */
  private <T> T inTransaction(String failure, TransactionWork<T> work) {
    return database.writing(() -> {
      try (Connection c = database.connection()) {
        c.setAutoCommit(false);
        try {
          T result = work.run(c);
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        }
      } catch (SQLException e) {
        throw new IllegalStateException("issuer registry: " + failure, e);
      }
    });
  }

  /** Cleared rows per multi-row INSERT: 100 rows × 6 columns, far below every driver's parameter limit. */
  private static final int CLEARED_ROWS_PER_INSERT = 100;

  /** Inserts cleared rows with multi-row INSERTs (one statement per 100 rows, batched), then the rest one by one. */
  private static void insertCleared(Connection c, List<Cleared> cleared) throws SQLException {
    String insert = "INSERT INTO issuer_cleared (pan, pan_sequence, atc, outcome, fare_minor, transfer_id) VALUES ";
    int full = cleared.size() / CLEARED_ROWS_PER_INSERT * CLEARED_ROWS_PER_INSERT;
    if (full > 0) {
      try (PreparedStatement s = c.prepareStatement(insert
          + String.join(", ", java.util.Collections.nCopies(CLEARED_ROWS_PER_INSERT, "(?, ?, ?, ?, ?, ?)")))) {
        for (int start = 0; start < full; start += CLEARED_ROWS_PER_INSERT) {
          for (int row = 0; row < CLEARED_ROWS_PER_INSERT; row++) {
            bindCleared(s, row * 6, cleared.get(start + row));
          }
          s.addBatch();
        }
        s.executeBatch();
      }
    }
    if (full < cleared.size()) {
      try (PreparedStatement s = c.prepareStatement(insert + "(?, ?, ?, ?, ?, ?)")) {
        for (int i = full; i < cleared.size(); i++) {
          bindCleared(s, 0, cleared.get(i));
          s.addBatch();
        }
        s.executeBatch();
      }
    }
  }

  private static void bindCleared(PreparedStatement s, int offset, Cleared one) throws SQLException {
    s.setString(offset + 1, one.key().pan().digits());
    s.setInt(offset + 2, one.key().panSequence());
    s.setInt(offset + 3, one.key().atc());
    s.setString(offset + 4, one.outcome());
    s.setLong(offset + 5, one.fareMinor());
    if (one.transferId() == 0) {
      s.setNull(offset + 6, java.sql.Types.BIGINT);
    } else {
      s.setLong(offset + 6, one.transferId());
    }
  }

  /** Adds the PANs not yet on the deny list, each moving its version by one (inside the caller's transaction). */
  private void addToDenyList(Connection c, java.util.Collection<Pan> denied) throws SQLException {
    long version = denyVersion();
    for (Pan pan : denied) {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO issuer_deny (pan, version) SELECT ?, ?"
          + " WHERE NOT EXISTS (SELECT 1 FROM issuer_deny WHERE pan = ?)")) {
        bind(s, pan.digits(), version + 1, pan.digits());
        if (s.executeUpdate() == 1) {
          version++;
        }
      }
    }
  }

  /**
   * One cleared card transaction, what became of it (ENTRY, DEBITED, ARREARS), its fare and the
   * ledger transfer that carries the fare (a DEBITED record's fare posting; 0 for none).
   */
  record Cleared(CardTransactionKey key, String outcome, long fareMinor, long transferId) {}

  /** One ledger transfer carrying the fares of {@code records} cleared records of one rider account. */
  record FarePosting(long transferId, long accountId, long amountMinor, int records) {}

  /** Fare postings recorded but not yet known to be in the ledger (a crash came between). */
  List<FarePosting> plannedPostings() {
    List<FarePosting> out = new ArrayList<>();
    try (Connection c = database.connection();
        PreparedStatement s = c.prepareStatement("SELECT transfer_id, account_id, amount_minor, records"
            + " FROM issuer_fare_posting WHERE state = 'PLANNED' ORDER BY transfer_id");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        out.add(new FarePosting(r.getLong(1), r.getLong(2), r.getLong(3), r.getInt(4)));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("issuer registry: fare postings read failed", e);
    }
  }

  /** Marks fare postings as in the ledger (one short transaction). */
  void markPosted(java.util.Collection<Long> transferIds) {
    if (transferIds.isEmpty()) {
      return;
    }
    inTransaction("fare postings not marked", c -> {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE issuer_fare_posting SET state = 'POSTED' WHERE transfer_id = ?")) {
        for (long id : transferIds) {
          s.setLong(1, id);
          s.addBatch();
        }
        s.executeBatch();
      }
      return null;
    });
  }

  /**
   * A fare posting the ledger refused (the account could no longer take it): in ONE transaction its
   * records become ARREARS, their cards are denied and the posting is closed as ARREARS.
   *
   * @return the records now in arrears (to post arrears → due to switch, idempotently)
   */
  List<Cleared> toArrears(long transferId) {
    return inTransaction("refused fare posting not moved to arrears", c -> {
      List<Cleared> records = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement(
          "SELECT pan, pan_sequence, atc, fare_minor FROM issuer_cleared WHERE transfer_id = ? AND outcome = 'DEBITED'")) {
        s.setLong(1, transferId);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            records.add(new Cleared(new CardTransactionKey(Pan.of(r.getString(1)), r.getInt(2), r.getInt(3)),
                "ARREARS", r.getLong(4), 0));
          }
        }
      }
      for (String sql : List.of("UPDATE issuer_cleared SET outcome = 'ARREARS', transfer_id = NULL WHERE transfer_id = ?",
          "UPDATE issuer_fare_posting SET state = 'ARREARS' WHERE transfer_id = ?")) {
        try (PreparedStatement s = c.prepareStatement(sql)) {
          s.setLong(1, transferId);
          s.executeUpdate();
        }
      }
      java.util.Set<Pan> denied = new java.util.LinkedHashSet<>();
      records.forEach(one -> denied.add(one.key().pan()));
      try (PreparedStatement s = c.prepareStatement("UPDATE issuer_card SET status = ? WHERE pan = ?")) {
        for (Pan pan : denied) {
          bind(s, CardStatus.DENIED.name(), pan.digits());
          s.addBatch();
        }
        s.executeBatch();
      }
      addToDenyList(c, denied);
      return records;
    });
  }

  /** Every card transaction booked to arrears (to re-post after a crash; the transfers are idempotent). */
  List<Cleared> arrears() {
    List<Cleared> out = new ArrayList<>();
    try (Connection c = database.connection();
        PreparedStatement s = c.prepareStatement(
            "SELECT pan, pan_sequence, atc, fare_minor FROM issuer_cleared WHERE outcome = 'ARREARS'");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        out.add(new Cleared(new CardTransactionKey(Pan.of(r.getString(1)), r.getInt(2), r.getInt(3)), "ARREARS",
            r.getLong(4), 0));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("issuer registry: arrears read failed", e);
    }
  }

  /** A rider account row. */
  record RiderAccount(long accountId, RiderAccountKind kind, long creditLimitMinor) {}

  private List<CardRecord> query(String sql, Object... parameters) {
    try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, parameters);
      List<CardRecord> out = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(card(r));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("issuer registry: card query failed", e);
    }
  }

  /** The current row as a card, by position (the CARD_COLUMNS order): a name lookup per column and row was visible in clearing profiles. */
  private static CardRecord card(ResultSet r) throws SQLException {
    return new CardRecord(Pan.of(r.getString(1)), r.getInt(2), AlgorithmSuite.valueOf(r.getString(3)), r.getLong(4),
        CardStatus.valueOf(r.getString(5)), r.getInt(6), r.getLong(7), r.getLong(8), r.getInt(9));
  }

  private long single(String sql, Object... parameters) {
    try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, parameters);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("issuer registry: query failed", e);
    }
  }

  private void update(String sql, Object... parameters) {
    try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, parameters);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("issuer registry: update failed", e);
    }
  }

  private static void bind(PreparedStatement s, Object... parameters) throws SQLException {
    for (int i = 0; i < parameters.length; i++) {
      s.setObject(i + 1, parameters[i]);
    }
  }
}
