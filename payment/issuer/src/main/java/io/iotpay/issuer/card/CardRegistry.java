package io.iotpay.issuer.card;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.issuer.IssuerInputException;
import io.iotpay.issuer.IssuerStore;
import io.iotpay.protocol.Pan;
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
 * The issuer's cards in its own table ({@code issuer_card}): issue, read, save status and quota,
 * and move the Push ATC. Clearing's writes to a card's last ATC and status are the clearing
 * store's (io.iotpay.issuer.transit), in its own transactions. Plain JDBC; every method is one short
 * statement or transaction. Thread-safe.
 */
public final class CardRegistry {
  /** The columns {@link #query} maps, in this order. */
  private static final String CARD_COLUMNS = "pan, pan_sequence, suite, account_id, status, push_atc,"
      + " quota_known_minor, quota_configured_minor, last_atc";
  private final IssuerStore store;

  public CardRegistry(IssuerStore store) {
    this.store = store;
  }

  public void insert(CardRecord card) {
    store.update("INSERT INTO issuer_card (pan, pan_sequence, suite, account_id, status, push_atc, quota_known_minor,"
        + " quota_configured_minor, last_atc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        card.pan().digits(), card.panSequence(), card.suite().name(), card.accountId(), card.status().name(),
        card.pushAtc(), card.quotaKnownMinor(), card.quotaConfiguredMinor(), card.lastAtc());
  }

  /** Inserts many cards in ONE transaction (all or none). */
  public void insertAll(List<CardRecord> cards) {
    try (Connection c = store.connection()) {
      c.setAutoCommit(false);
      try (PreparedStatement s = c.prepareStatement("INSERT INTO issuer_card (pan, pan_sequence, suite, account_id,"
          + " status, push_atc, quota_known_minor, quota_configured_minor, last_atc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (CardRecord card : cards) {
          IssuerStore.bind(s, card.pan().digits(), card.panSequence(), card.suite().name(), card.accountId(), card.status().name(),
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
  public void save(CardRecord card) {
    store.update("UPDATE issuer_card SET status = ?, quota_known_minor = ?, quota_configured_minor = ? WHERE pan = ?",
        card.status().name(), card.quotaKnownMinor(), card.quotaConfiguredMinor(), card.pan().digits());
  }

  public Optional<CardRecord> find(Pan pan) {
    List<CardRecord> cards = query("SELECT " + CARD_COLUMNS + " FROM issuer_card WHERE pan = ?", pan.digits());
    return cards.isEmpty() ? Optional.empty() : Optional.of(cards.get(0));
  }

  public List<CardRecord> all() {
    return query("SELECT " + CARD_COLUMNS + " FROM issuer_card ORDER BY pan");
  }

  public int cardCount() {
    return (int) store.single("SELECT COUNT(*) FROM issuer_card");
  }

  /**
   * Moves the card's Push ATC on by one and returns it, durably, before the push is sent: a push
   * whose result is lost is never resent with the same ATC.
   */
  public int nextPushAtc(Pan pan) {
    try (Connection c = store.connection()) {
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

  /** PANs per IN (...) list of the batch reads (well below SQLite's and PostgreSQL's parameter limits). */
  private static final int IN_LIST_MAX = 500;

  /**
   * The cards among {@code pans} (absent ones are missing from the map), read in a few statements
   * instead of one per card: clearing reads a whole chunk of records' cards at once.
   */
  public Map<Pan, CardRecord> findAll(Collection<Pan> pans) {
    Map<Pan, CardRecord> out = HashMap.newHashMap(pans.size());
    List<Pan> all = new ArrayList<>(pans);
    try (Connection c = store.connection()) {
      IssuerStore.inBatches(c, all, IN_LIST_MAX, "SELECT " + CARD_COLUMNS + " FROM issuer_card WHERE pan IN (", "?", ")",
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

  private List<CardRecord> query(String sql, Object... parameters) {
    try (Connection c = store.connection(); PreparedStatement s = c.prepareStatement(sql)) {
      IssuerStore.bind(s, parameters);
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
  static CardRecord card(ResultSet r) throws SQLException {
    return new CardRecord(Pan.of(r.getString(1)), r.getInt(2), AlgorithmSuite.valueOf(r.getString(3)), r.getLong(4),
        CardStatus.valueOf(r.getString(5)), r.getInt(6), r.getLong(7), r.getLong(8), r.getInt(9));
  }
}
