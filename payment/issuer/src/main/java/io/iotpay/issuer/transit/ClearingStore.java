package io.iotpay.issuer.transit;

import io.iotpay.foundation.store.MultiRowInsert;
import io.iotpay.issuer.IssuerStore;
import io.iotpay.issuer.card.CardRecord;
import io.iotpay.issuer.card.CardStatus;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.transit.DenyList;
import io.iotpay.protocol.transit.TransitRecord.CardTransactionKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What transit clearing records in the issuer's tables: the card transactions cleared (with the
 * transfer carrying each fare), the fare postings planned and posted, the cards' last cleared ATC,
 * known quota and denial, and the deny list. Every chunk's outcome is ONE transaction, so a crash
 * leaves a chunk wholly recorded or not at all. Plain JDBC. Thread-safe.
 */
public final class ClearingStore {
  private final IssuerStore store;

  public ClearingStore(IssuerStore store) {
    this.store = store;
  }

  /** The deny list of {@code issuer} as recorded (version 1 when empty; +1 per card added). */
  public DenyList denyList(PartyId issuer) {
    return new DenyList(issuer, denyVersion(), deniedPans());
  }

  /** Every card transaction cleared, with its fare (0 for an entry), minor units. */
  public Map<CardTransactionKey, Long> clearedFaresMinor() {
    Map<CardTransactionKey, Long> out = new HashMap<>();
    try (Connection c = store.connection();
        PreparedStatement s = c.prepareStatement("SELECT pan, pan_sequence, atc, fare_minor FROM issuer_cleared");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        out.put(new CardTransactionKey(Pan.of(r.getString(1)), r.getInt(2), r.getInt(3)), r.getLong(4));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("issuer registry: cleared read failed", e);
    }
  }

  public boolean isCleared(CardTransactionKey key) {
    return store.single("SELECT COUNT(*) FROM issuer_cleared WHERE pan = ? AND pan_sequence = ? AND atc = ?",
        key.pan().digits(), key.panSequence(), key.atc()) > 0;
  }

  /** Card transactions per exact-key lookup statement: 3 parameters each. */
  private static final int KEYS_PER_LOOKUP = 500;

  /**
   * Those of {@code keys} already cleared, in a few statements (a join of the keys as a VALUES list
   * with the cleared table's primary key, so only the duplicates come back, usually none).
   */
  public Set<CardTransactionKey> clearedAmong(Collection<CardTransactionKey> keys) {
    Set<CardTransactionKey> out = new HashSet<>();
    try (Connection c = store.connection()) {
      IssuerStore.inBatches(c, new ArrayList<>(keys), KEYS_PER_LOOKUP, "SELECT t.pan, t.pan_sequence, t.atc FROM (VALUES ",
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
  public long denyVersion() {
    return Math.max(1, store.single("SELECT COALESCE(MAX(version), 1) FROM issuer_deny"));
  }

  public SortedSet<Pan> deniedPans() {
    SortedSet<Pan> pans = new TreeSet<>();
    try (Connection c = store.connection();
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
  public void recordFile(List<Cleared> cleared, Collection<CardRecord> cards, Collection<Pan> denied,
      Collection<FarePosting> postings) {
    // In key order: consecutive rows fall on the same B-tree pages (the keys arrive in random order).
    List<Cleared> byKey = new ArrayList<>(cleared);
    byKey.sort(CLEARED_ORDER);
    List<CardRecord> byPan = new ArrayList<>(cards);
    byPan.sort(Comparator.comparing(card -> card.pan().digits()));
    List<PanAtc> highest = highestAtcs(byKey);
    store.inTransaction("clearing file not recorded", c -> {
      insertCleared(c, byKey);
      // One posting per card and chunk with one account per card (about a third of the chunk's
      // records): multi-row INSERTs like the cleared rows, not one statement stepped per row.
      MultiRowInsert.insert(c, "INSERT INTO issuer_fare_posting (transfer_id, account_id, amount_minor, records,"
          + " state) VALUES ", 5, POSTING_ROWS_PER_INSERT, List.copyOf(postings), ClearingStore::bindPlanned);
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
            bindAtcOnly(atcOnly, highest.get(h));
            h++;
          }
          int lastAtc = card.lastAtc();
          if (h < highest.size() && highest.get(h).pan().equals(pan)) {
            lastAtc = Math.max(lastAtc, highest.get(h).atc());
            h++;
          }
          CardStatus status = !denied.isEmpty() && denied.contains(card.pan()) ? CardStatus.DENIED : card.status();
          // typed setters: setObject on boxed varargs was a fifth of the statement's Java side
          s.setString(1, status.name());
          s.setLong(2, card.quotaKnownMinor());
          s.setInt(3, lastAtc);
          s.setInt(4, lastAtc);
          s.setString(5, pan);
          s.addBatch();
        }
        for (; h < highest.size(); h++) {
          bindAtcOnly(atcOnly, highest.get(h));
        }
        s.executeBatch();
        atcOnly.executeBatch();
      }
      addToDenyList(c, denied);
      return null;
    });
  }

  private static void bindAtcOnly(PreparedStatement atcOnly, PanAtc highest) throws SQLException {
    atcOnly.setInt(1, highest.atc());
    atcOnly.setInt(2, highest.atc());
    atcOnly.setString(3, highest.pan());
    atcOnly.addBatch();
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

  private static final Comparator<Cleared> CLEARED_ORDER = Comparator
      .comparing((Cleared one) -> one.key().pan().digits())
      .thenComparingInt(one -> one.key().panSequence())
      .thenComparingInt(one -> one.key().atc());

  /** Planned fare postings per multi-row INSERT: 100 rows × 5 columns, far below every driver's parameter limit. */
  private static final int POSTING_ROWS_PER_INSERT = 100;

  private static void bindPlanned(PreparedStatement s, int offset, FarePosting posting) throws SQLException {
    s.setLong(offset + 1, posting.transferId());
    s.setLong(offset + 2, posting.accountId());
    s.setLong(offset + 3, posting.amountMinor());
    s.setInt(offset + 4, posting.records());
    s.setString(offset + 5, "PLANNED");
  }

  /** Cleared rows per multi-row INSERT: 100 rows × 6 columns, far below every driver's parameter limit. */
  private static final int CLEARED_ROWS_PER_INSERT = 100;

  /** Inserts cleared rows with multi-row INSERTs (one statement per 100 rows, batched), then the rest one by one. */
  private static void insertCleared(Connection c, List<Cleared> cleared) throws SQLException {
    MultiRowInsert.insert(c, "INSERT INTO issuer_cleared (pan, pan_sequence, atc, outcome, fare_minor, transfer_id) VALUES ",
        6, CLEARED_ROWS_PER_INSERT, cleared, ClearingStore::bindCleared);
  }

  private static void bindCleared(PreparedStatement s, int offset, Cleared one) throws SQLException {
    s.setString(offset + 1, one.key().pan().digits());
    s.setInt(offset + 2, one.key().panSequence());
    s.setInt(offset + 3, one.key().atc());
    s.setString(offset + 4, one.outcome());
    s.setLong(offset + 5, one.fareMinor());
    if (one.transferId() == 0) {
      s.setNull(offset + 6, Types.BIGINT);
    } else {
      s.setLong(offset + 6, one.transferId());
    }
  }

  /** Adds the PANs not yet on the deny list, each moving its version by one (inside the caller's transaction). */
  private void addToDenyList(Connection c, Collection<Pan> denied) throws SQLException {
    long version = denyVersion();
    for (Pan pan : denied) {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO issuer_deny (pan, version) SELECT ?, ?"
          + " WHERE NOT EXISTS (SELECT 1 FROM issuer_deny WHERE pan = ?)")) {
        IssuerStore.bind(s, pan.digits(), version + 1, pan.digits());
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
  public record Cleared(CardTransactionKey key, String outcome, long fareMinor, long transferId) {}

  /** One ledger transfer carrying the fares of {@code records} cleared records of one rider account. */
  public record FarePosting(long transferId, long accountId, long amountMinor, int records) {}

  /** The highest fare posting id recorded in {@code [low, high]}, or {@code low - 1} when none is. */
  public long lastFarePostingId(long low, long high) {
    return store.single("SELECT COALESCE(MAX(transfer_id), ?) FROM issuer_fare_posting WHERE transfer_id BETWEEN ? AND ?",
        low - 1, low, high);
  }

  /** Fare postings recorded but not yet known to be in the ledger (a crash came between). */
  public List<FarePosting> plannedPostings() {
    List<FarePosting> out = new ArrayList<>();
    try (Connection c = store.connection();
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
  public void markPosted(Collection<Long> transferIds) {
    if (transferIds.isEmpty()) {
      return;
    }
    store.inTransaction("fare postings not marked", c -> {
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
  public List<Cleared> toArrears(long transferId) {
    return store.inTransaction("refused fare posting not moved to arrears", c -> {
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
      Set<Pan> denied = new LinkedHashSet<>();
      records.forEach(one -> denied.add(one.key().pan()));
      try (PreparedStatement s = c.prepareStatement("UPDATE issuer_card SET status = ? WHERE pan = ?")) {
        for (Pan pan : denied) {
          IssuerStore.bind(s, CardStatus.DENIED.name(), pan.digits());
          s.addBatch();
        }
        s.executeBatch();
      }
      addToDenyList(c, denied);
      return records;
    });
  }

  /** Every card transaction booked to arrears (to re-post after a crash; the transfers are idempotent). */
  public List<Cleared> arrears() {
    List<Cleared> out = new ArrayList<>();
    try (Connection c = store.connection();
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
}
