package io.iotpay.issuer.wallet;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.store.Database;
import io.iotpay.issuer.IssuerInputException;
import io.iotpay.issuer.deposit.DepositAccounts;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bank accounts linked to wallet cards (docs/wallet.md §2.7), kept in the issuer's database
 * (table {@code wallet_linked_account}, one link per card), and which of them this issuer can
 * debit: a linked account at this issuer's own bank ({@code ownBankId}) that its
 * {@link DepositAccounts} holds open with money in the ledger. A linked account at another bank is
 * recorded but never debited here (a direct debit through the switch is not built).
 */
public final class LinkedBankAccounts {
  private static final Logger LOG = LoggerFactory.getLogger(LinkedBankAccounts.class);
  private static final Pattern CARD_ID = Pattern.compile("[0-9A-F]{16}");

  private final Database database;
  private final String ownBankId;
  private final DepositAccounts deposits;
  private final Clock clock;

  /**
   * @param ownBankId this issuer's institution id as a bank: links naming it are debited from {@code deposits}
   * @param deposits the deposit accounts this issuer holds
   * @throws IssuerInputException when {@code ownBankId} is not 1..11 digits
   */
  public LinkedBankAccounts(Database database, String ownBankId, DepositAccounts deposits, Clock clock) {
    this.database = Assert.notNull(database, "database");
    this.ownBankId = LinkedBankAccount.checkBankId(ownBankId);
    this.deposits = Assert.notNull(deposits, "deposits");
    this.clock = Assert.notNull(clock, "clock");
    database.migrate(WalletDayEndStore.COMPONENT);
  }

  /**
   * Links {@code account} to the card (replacing any link it had), durably.
   *
   * @param cardIdHex the card id, 16 upper-case hex digits
   * @throws IssuerInputException for a malformed card id or a null account (nothing changes)
   */
  public void link(String cardIdHex, LinkedBankAccount account) {
    if (cardIdHex == null || !CARD_ID.matcher(cardIdHex).matches()) {
      throw new IssuerInputException("linked account: card id must be 16 upper-case hex digits");
    }
    if (account == null) {
      throw new IssuerInputException("linked account: the account is required");
    }
    sql("link a bank account", c -> {
      try (PreparedStatement upsert = c.prepareStatement("INSERT INTO wallet_linked_account (card_id, bank_id,"
          + " account_number, linked_at_ms) VALUES (?, ?, ?, ?) ON CONFLICT (card_id) DO UPDATE SET"
          + " bank_id = excluded.bank_id, account_number = excluded.account_number, linked_at_ms = excluded.linked_at_ms")) {
        upsert.setString(1, cardIdHex);
        upsert.setString(2, account.bankId());
        upsert.setString(3, account.accountNumber());
        upsert.setLong(4, clock.millis());
        return upsert.executeUpdate();
      }
    });
    LOG.info("Bank account linked [card=****{}, bank={}, account={}]", cardIdHex.substring(12), account.bankId(),
        account.masked());
  }

  /** The account linked to the card, if any. */
  public Optional<LinkedBankAccount> linked(String cardIdHex) {
    return sql("read a linked account", c -> {
      try (PreparedStatement select = c.prepareStatement(
          "SELECT bank_id, account_number FROM wallet_linked_account WHERE card_id = ?")) {
        select.setString(1, cardIdHex);
        try (ResultSet row = select.executeQuery()) {
          return row.next() ? Optional.of(new LinkedBankAccount(row.getString(1), row.getString(2)))
              : Optional.empty();
        }
      }
    });
  }

  /**
   * The ledger account to debit for the card's linked account now: present only when the card has
   * a link, it is at this issuer's bank, and that deposit account is open with money in the ledger.
   */
  public Optional<Long> debitable(String cardIdHex) {
    Optional<LinkedBankAccount> account = linked(cardIdHex);
    if (account.isEmpty()) {
      return Optional.empty();
    }
    if (!account.get().bankId().equals(ownBankId)) {
      LOG.info("Linked account at another bank not debited: no direct debit through the switch [card=****{}, bank={}]",
          cardIdHex.substring(12), account.get().bankId());
      return Optional.empty();
    }
    return deposits.debitableLedgerAccount(account.get().accountNumber());
  }

  /** How many cards have a linked account. */
  public long count() {
    return sql("count linked accounts", c -> {
      try (PreparedStatement select = c.prepareStatement("SELECT COUNT(*) FROM wallet_linked_account");
          ResultSet row = select.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    });
  }

  private <T> T sql(String what, Database.SqlWork<T> work) {
    try {
      return database.inTransaction(work);
    } catch (SQLException e) {
      throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
    }
  }
}
