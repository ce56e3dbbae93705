package io.iotpay.issuer.wallet;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The issuer's handling of an online part pushed by a POS as the cardholder's agent
 * (docs/wallet.md §2): the card's signature is verified over the part as the card signed it, then
 * the online amount moves from the card's online account to the POS's merchant account in the
 * ledger. Idempotent by card id and card counter: a repeat gets the first answer and moves nothing;
 * a part whose bytes differ from the first one with that counter is refused. The answer of every
 * genuine part is kept in table {@code wallet_online_part}, so it outlives a restart.
 *
 * <p>When the online account cannot pay and the card has a linked bank account this issuer can
 * debit ({@link LinkedBankAccounts}), the linked account pays the whole part instead (docs/wallet.md
 * §2.7); the part fails only when neither can. Whichever source pays, the part moves money under
 * one transfer id (a refused transfer leaves no trace in the ledger, so the id is free for the
 * second source), so it can never be paid twice; the choice of the linked account is stored before
 * its transfer, so a retry after a crash carries out that choice and does not go back to the online
 * account.
 */
public final class WalletOnlineParts {
  private static final Logger LOG = LoggerFactory.getLogger(WalletOnlineParts.class);
  private static final long WAIT_S = 30;

  private final Database database;
  private final Ledger ledger;
  private final int currencyNumeric;
  private final LongUnaryOperator transferIdOf;
  private final java.util.function.Function<String, Long> merchantAccountOfPos;
  private final Map<String, WalletCard> cards = new ConcurrentHashMap<>();
  /** Null: no card has a second source. */
  private final LinkedBankAccounts linked;

  /**
   * @param transferIdOf maps the part's row number to a ledger transfer id unique in the issuer's book
   * @param merchantAccountOfPos the merchant account credited for a POS id (hex); null when unknown
   */
  public WalletOnlineParts(Database database, Ledger ledger, int currencyNumeric, LongUnaryOperator transferIdOf,
      java.util.function.Function<String, Long> merchantAccountOfPos) {
    this(database, ledger, currencyNumeric, transferIdOf, merchantAccountOfPos, null);
  }

  /**
   * As above, with the cards' linked bank accounts as the second source of an online part.
   *
   * @param linked the linked accounts; null when no card has one
   */
  public WalletOnlineParts(Database database, Ledger ledger, int currencyNumeric, LongUnaryOperator transferIdOf,
      java.util.function.Function<String, Long> merchantAccountOfPos, LinkedBankAccounts linked) {
    this.linked = linked;
    this.database = Assert.notNull(database, "database");
    this.ledger = Assert.notNull(ledger, "ledger");
    this.currencyNumeric = currencyNumeric;
    this.transferIdOf = Assert.notNull(transferIdOf, "transferIdOf");
    this.merchantAccountOfPos = Assert.notNull(merchantAccountOfPos, "merchantAccountOfPos");
    database.migrate(WalletDayEndStore.COMPONENT);
  }

  /** Enrols a card (at personalisation): its key and accounts. */
  public void enrol(WalletCard card) {
    cards.put(card.cardIdHex(), card);
  }

  public Optional<WalletCard> card(String cardIdHex) {
    return Optional.ofNullable(cards.get(cardIdHex));
  }

  /** Every enrolled card. */
  public java.util.Collection<WalletCard> cards() {
    return java.util.Collections.unmodifiableCollection(cards.values());
  }

  /**
   * Applies an online part once: from the online account, or when it cannot pay from the card's
   * linked bank account. Returns the definitive outcome; a repeat returns the stored one.
   *
   * @throws IllegalStateException when the database or the ledger cannot be reached (the POS retries)
   */
  public synchronized OnlinePartOutcome apply(SignedOnlinePart part) {
    WalletCard card = cards.get(part.cardIdHex());
    if (card == null) {
      LOG.info("Online part of an unknown card refused");
      return OnlinePartOutcome.REFUSED;
    }
    if (!card.suite().signature().verify(card.cardKey(), part.signedInput(), part.cardSignature())) {
      LOG.warn("Online part refused: not signed by the card [card=****{}, counter={}]", last4(part), part.counter());
      return OnlinePartOutcome.REFUSED;
    }
    Long merchant = merchantAccountOfPos.apply(part.posIdHex());
    if (part.onlineMinor() == 0 || part.currencyNumeric() != currencyNumeric || merchant == null) {
      return OnlinePartOutcome.REFUSED;
    }
    Row row = row(part);
    if (row.outcome != null) {
      return row.outcome;
    }
    if (!java.util.Arrays.equals(row.part, part.encode())) {
      // Another genuine signature over the same counter cannot exist: the card signs each counter once.
      return OnlinePartOutcome.REFUSED;
    }
    long transferId = transferIdOf.applyAsLong(row.rowId);
    long linkedAccount = row.linkedAccount;
    if (linkedAccount == 0) {
      if (paid(transferId, card.onlineAccountId(), merchant, part)) {
        return finish(row.rowId, OnlinePartOutcome.COMPLETED, OnlinePartSource.ONLINE_ACCOUNT, part);
      }
      Optional<Long> second = linked == null ? Optional.empty() : linked.debitable(card.cardIdHex());
      if (second.isEmpty()) {
        return finish(row.rowId, OnlinePartOutcome.FAILED, null, part);
      }
      linkedAccount = second.get();
      chooseLinkedAccount(row.rowId, linkedAccount);
    }
    return finish(row.rowId, paid(transferId, linkedAccount, merchant, part) ? OnlinePartOutcome.COMPLETED
        : OnlinePartOutcome.FAILED, OnlinePartSource.LINKED_ACCOUNT, part);
  }

  /** True when the ledger moved the part from {@code debitAccount}, false when that account could not pay it. */
  private boolean paid(long transferId, long debitAccount, long merchant, SignedOnlinePart part) {
    Transfer transfer = Transfer.single(transferId, debitAccount, merchant, part.onlineMinor());
    TransferResult result = ledger.submit(List.of(transfer)).orTimeout(WAIT_S, TimeUnit.SECONDS).join().get(0);
    return switch (result) {
      case OK -> true;
      case EXCEEDS_CREDITS -> false;
      default -> throw new IllegalStateException("ledger refused the online part: " + result);
    };
  }

  private OnlinePartOutcome finish(long rowId, OnlinePartOutcome outcome, OnlinePartSource source,
      SignedOnlinePart part) {
    store(rowId, outcome, source);
    LOG.info("Online part {} [card=****{}, counter={}, onlineMinor={}, source={}]", outcome, last4(part),
        part.counter(), part.onlineMinor(), source);
    return outcome;
  }

  /**
   * Which account paid the card's part: present only when the part is {@code COMPLETED} (parts
   * completed before linked accounts existed were paid by the online account).
   */
  public Optional<OnlinePartSource> paidFrom(String cardIdHex, long counter) {
    try (Connection c = database.connection();
        PreparedStatement s = c.prepareStatement(
            "SELECT outcome, source FROM wallet_online_part WHERE card_id = ? AND counter = ?")) {
      s.setString(1, cardIdHex);
      s.setLong(2, counter);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next() || !OnlinePartOutcome.COMPLETED.name().equals(r.getString(1))) {
          return Optional.empty();
        }
        String source = r.getString(2);
        return Optional.of(source == null ? OnlinePartSource.ONLINE_ACCOUNT : OnlinePartSource.valueOf(source));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("wallet_online_part unreadable", e);
    }
  }

  /** How many parts were completed from {@code source}, as the issuer stored them. */
  public long completedFrom(OnlinePartSource source) {
    String which = switch (source) {
      case ONLINE_ACCOUNT -> "(source IS NULL OR source = ?)";
      case LINKED_ACCOUNT -> "source = ?";
    };
    try (Connection c = database.connection();
        PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM wallet_online_part WHERE outcome = ? AND "
            + which)) {
      s.setString(1, OnlinePartOutcome.COMPLETED.name());
      s.setString(2, source.name());
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("wallet_online_part unreadable", e);
    }
  }

  /** The stored outcome of a card's part, if it was applied. */
  public Optional<OnlinePartOutcome> outcome(String cardIdHex, long counter) {
    try (Connection c = database.connection();
        PreparedStatement s = c.prepareStatement("SELECT outcome FROM wallet_online_part WHERE card_id = ? AND counter = ?")) {
      s.setString(1, cardIdHex);
      s.setLong(2, counter);
      try (ResultSet r = s.executeQuery()) {
        return r.next() && r.getString(1) != null ? Optional.of(OnlinePartOutcome.valueOf(r.getString(1)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("wallet_online_part unreadable", e);
    }
  }

  /** Every answered part, in the order they were first received. */
  public List<OnlinePartRow> answered() {
    try (Connection c = database.connection();
        PreparedStatement s = c.prepareStatement("SELECT card_id, counter, amount_minor, outcome FROM wallet_online_part"
            + " WHERE outcome IS NOT NULL ORDER BY row_id");
        ResultSet r = s.executeQuery()) {
      List<OnlinePartRow> rows = new java.util.ArrayList<>();
      while (r.next()) {
        rows.add(new OnlinePartRow(r.getString(1), r.getLong(2), r.getLong(3), OnlinePartOutcome.valueOf(r.getString(4))));
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("wallet_online_part unreadable", e);
    }
  }

  /** A card's parts that failed, as the card signed them, oldest first. */
  public List<SignedOnlinePart> failed(String cardIdHex) {
    try (Connection c = database.connection();
        PreparedStatement s = c.prepareStatement("SELECT part FROM wallet_online_part WHERE card_id = ? AND outcome = ?"
            + " ORDER BY counter")) {
      s.setString(1, cardIdHex);
      s.setString(2, OnlinePartOutcome.FAILED.name());
      try (ResultSet r = s.executeQuery()) {
        List<SignedOnlinePart> parts = new java.util.ArrayList<>();
        while (r.next()) {
          parts.add(SignedOnlinePart.decode(r.getBytes(1)));
        }
        return parts;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("wallet_online_part unreadable", e);
    }
  }

  /** How many parts ended with this outcome. */
  public long count(OnlinePartOutcome outcome) {
    try (Connection c = database.connection();
        PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM wallet_online_part WHERE outcome = ?")) {
      s.setString(1, outcome.name());
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("wallet_online_part unreadable", e);
    }
  }

  /** {@code linkedAccount}: the ledger account chosen as the second source, 0 while the online account is tried. */
  private record Row(long rowId, byte[] part, OnlinePartOutcome outcome, long linkedAccount) {}

  private Row row(SignedOnlinePart part) {
    try (Connection c = database.connection()) {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO wallet_online_part (card_id, counter, part, amount_minor)"
          + " VALUES (?, ?, ?, ?) ON CONFLICT (card_id, counter) DO NOTHING")) {
        s.setString(1, part.cardIdHex());
        s.setLong(2, part.counter());
        s.setBytes(3, part.encode());
        s.setLong(4, part.onlineMinor());
        s.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement(
          "SELECT row_id, part, outcome, source_account FROM wallet_online_part WHERE card_id = ? AND counter = ?")) {
        s.setString(1, part.cardIdHex());
        s.setLong(2, part.counter());
        try (ResultSet r = s.executeQuery()) {
          r.next();
          String outcome = r.getString(3);
          return new Row(r.getLong(1), r.getBytes(2), outcome == null ? null : OnlinePartOutcome.valueOf(outcome),
              r.getLong(4));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("wallet_online_part unwritable", e);
    }
  }

  /** Stored before the linked account's transfer is submitted: a retry carries out this choice. */
  private void chooseLinkedAccount(long rowId, long ledgerAccount) {
    try (Connection c = database.connection();
        PreparedStatement s = c.prepareStatement(
            "UPDATE wallet_online_part SET source = ?, source_account = ? WHERE row_id = ?")) {
      s.setString(1, OnlinePartSource.LINKED_ACCOUNT.name());
      s.setLong(2, ledgerAccount);
      s.setLong(3, rowId);
      Assert.that(s.executeUpdate() == 1, "online part row {} vanished", rowId);
    } catch (SQLException e) {
      throw new IllegalStateException("wallet_online_part unwritable", e);
    }
  }

  /** {@code source}: the account that paid or was tried last; null when only the online account was tried and failed. */
  private void store(long rowId, OnlinePartOutcome outcome, OnlinePartSource source) {
    try (Connection c = database.connection();
        PreparedStatement s = c.prepareStatement("UPDATE wallet_online_part SET outcome = ?, source = ? WHERE row_id = ?")) {
      s.setString(1, outcome.name());
      s.setString(2, source == null ? null : source.name());
      s.setLong(3, rowId);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("wallet_online_part unwritable", e);
    }
  }

  private static String last4(SignedOnlinePart part) {
    String id = part.cardIdHex();
    return id.substring(id.length() - 4);
  }
}
