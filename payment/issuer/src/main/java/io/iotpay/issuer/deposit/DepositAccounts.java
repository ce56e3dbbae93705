package io.iotpay.issuer.deposit;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.store.Database;
import io.iotpay.issuer.IssuerInputException;
import io.iotpay.protocol.iso8583.AccountVerificationRequest;
import io.iotpay.protocol.iso8583.AccountVerificationResponse;
import io.iotpay.protocol.iso8583.ResponseCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The deposit accounts this issuer holds (kept small: number and state) and its answers to account
 * verifications, the acquirer's penny test of a merchant's settlement account
 * (docs/merchant-onboarding.md). The answer comes from these records only: open → 00, unknown → 14
 * (no such number), closed → 46, blocked → 62 (restricted). Each answer is stored under the
 * request's identity (acquirer, terminal, STAN, field 7, a hash of the account) before it is sent, so a repeat after a
 * lost 0110 gets the same answer and adds nothing. Logs and the verification table hold the
 * account number masked only. An account may also hold money in the issuer's ledger
 * ({@link #open(String, long)}): then it can be debited while open, as a wallet card's linked bank
 * account is (docs/wallet.md §2.7). Tables: Flyway component {@value #COMPONENT}.
 */
public final class DepositAccounts {
  private static final System.Logger LOG = System.getLogger(DepositAccounts.class.getName());
  static final String COMPONENT = "issuer-deposit";
  private static final Pattern NUMBER = Pattern.compile("[0-9A-Z]{" + AccountVerificationRequest.ACCOUNT_CHARS_MIN
      + "," + AccountVerificationRequest.ACCOUNT_CHARS_MAX + "}");

  /** A deposit account's state. */
  public enum State {
    OPEN(ResponseCode.APPROVED),
    CLOSED(ResponseCode.CLOSED_ACCOUNT),
    BLOCKED(ResponseCode.RESTRICTED_CARD);

    private final ResponseCode answer;

    State(ResponseCode answer) {
      this.answer = answer;
    }

    /** What an account verification of an account in this state is answered. */
    public ResponseCode answer() {
      return answer;
    }
  }

  private final Database database;
  private final Clock clock;
  private final Object lock = new Object();

  /** Opens the registry on {@code database} (applies its migrations). */
  public DepositAccounts(Database database, Clock clock) {
    this.database = Assert.notNull(database, "database");
    this.clock = Assert.notNull(clock, "clock");
    database.migrate(COMPONENT);
  }

  /**
   * Records the account in {@code state} (opens it, or changes its state).
   *
   * @param number {@value AccountVerificationRequest#ACCOUNT_CHARS_MIN}..{@value AccountVerificationRequest#ACCOUNT_CHARS_MAX} of [0-9A-Z]
   * @throws IssuerInputException for a malformed number or a null state (nothing changes)
   */
  public void put(String number, State state) {
    checkNumber(number);
    if (state == null) {
      throw new IssuerInputException("deposit account state is required");
    }
    sql("put deposit account", c -> {
      try (PreparedStatement upsert = c.prepareStatement("INSERT INTO issuer_deposit_account (account_number, state,"
          + " changed_at_ms) VALUES (?, ?, ?) ON CONFLICT (account_number) DO UPDATE SET state = excluded.state,"
          + " changed_at_ms = excluded.changed_at_ms")) {
        upsert.setString(1, number);
        upsert.setString(2, state.name());
        upsert.setLong(3, clock.millis());
        return upsert.executeUpdate();
      }
    });
    LOG.log(System.Logger.Level.INFO, "Deposit account recorded [account={0}, state={1}]",
        AccountVerificationRequest.mask(number), state);
  }

  /** Opens {@code number}. @throws IssuerInputException for a malformed number (nothing changes) */
  public void open(String number) {
    put(number, State.OPEN);
  }

  /**
   * Opens {@code number} as an account that holds money in the issuer's ledger, in
   * {@code ledgerAccountId} (which the caller created with {@code DEBITS_MUST_NOT_EXCEED_CREDITS},
   * so a debit is checked against its balance). Opening it again changes the ledger account and
   * reopens it. A later {@link #put} changes its state and keeps the ledger account.
   *
   * @throws IssuerInputException for a malformed number or a ledger account id that is not positive
   *     (nothing changes)
   */
  public void open(String number, long ledgerAccountId) {
    checkNumber(number);
    if (ledgerAccountId <= 0) {
      throw new IssuerInputException("a deposit account's ledger account id must be positive");
    }
    sql("open deposit account", c -> {
      try (PreparedStatement upsert = c.prepareStatement("INSERT INTO issuer_deposit_account (account_number, state,"
          + " changed_at_ms, ledger_account_id) VALUES (?, ?, ?, ?) ON CONFLICT (account_number) DO UPDATE SET"
          + " state = excluded.state, changed_at_ms = excluded.changed_at_ms,"
          + " ledger_account_id = excluded.ledger_account_id")) {
        upsert.setString(1, number);
        upsert.setString(2, State.OPEN.name());
        upsert.setLong(3, clock.millis());
        upsert.setLong(4, ledgerAccountId);
        return upsert.executeUpdate();
      }
    });
    LOG.log(System.Logger.Level.INFO, "Deposit account opened in the ledger [account={0}, ledgerAccount={1}]",
        AccountVerificationRequest.mask(number), Long.toString(ledgerAccountId));
  }

  /**
   * The ledger account to debit for {@code number}: present only when this issuer holds the account,
   * it is {@link State#OPEN} and it holds money in the ledger ({@link #open(String, long)}); a
   * closed or blocked account, or one kept for the penny test only, is not debitable.
   *
   * @throws IssuerInputException for a malformed number
   */
  public Optional<Long> debitableLedgerAccount(String number) {
    return held(number).filter(held -> held.state == State.OPEN && held.ledgerAccountId != 0)
        .map(held -> held.ledgerAccountId);
  }

  /** The account's state, or empty when this issuer holds no such account. @throws IssuerInputException malformed */
  public Optional<State> state(String number) {
    return held(number).map(held -> held.state);
  }

  /** An account as stored: {@code ledgerAccountId} 0 when it holds no money in the ledger. */
  private record Held(State state, long ledgerAccountId) {}

  private Optional<Held> held(String number) {
    checkNumber(number);
    return sql("read deposit account", c -> {
      try (PreparedStatement select = c.prepareStatement(
          "SELECT state, ledger_account_id FROM issuer_deposit_account WHERE account_number = ?")) {
        select.setString(1, number);
        try (ResultSet row = select.executeQuery()) {
          return row.next() ? Optional.of(new Held(State.valueOf(row.getString(1)), row.getLong(2))) : Optional.empty();
        }
      }
    });
  }

  /**
   * Answers an account verification from the records; a repeat of an answered request (the same
   * acquirer, terminal, STAN and field 7) gets the stored answer and changes nothing.
   */
  public AccountVerificationResponse verify(AccountVerificationRequest request) {
    String key = String.join("|", request.acquirerId(), request.terminalId(), Integer.toString(request.stan()),
        request.transmittedAt().field7(), accountTag(request.accountNumber()));
    synchronized (lock) {
      Optional<String[]> seen = stored(key);
      if (seen.isPresent()) {
        LOG.log(System.Logger.Level.INFO, "Account verification repeated, stored answer sent [stan={0}, account={1},"
            + " code={2}]", request.stan(), request.accountMasked(), seen.get()[0]);
        return AccountVerificationResponse.answering(request, ResponseCode.byCode(seen.get()[0]).orElseThrow(),
            seen.get()[1]);
      }
      ResponseCode code = state(request.accountNumber()).map(State::answer).orElse(ResponseCode.INVALID_CARD_NUMBER);
      String approval = code.approved() ? approvalCode(key) : null;
      sql("store account verification", c -> {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO issuer_account_verification (request_key,"
            + " account_masked, response_code, approval_code, verified_at_ms) VALUES (?, ?, ?, ?, ?)")) {
          insert.setString(1, key);
          insert.setString(2, request.accountMasked());
          insert.setString(3, code.code());
          insert.setString(4, approval);
          insert.setLong(5, clock.millis());
          return insert.executeUpdate();
        }
      });
      LOG.log(System.Logger.Level.INFO, "Account verification answered [stan={0}, account={1}, code={2}]",
          request.stan(), request.accountMasked(), code.code());
      return AccountVerificationResponse.answering(request, code, approval);
    }
  }

  /** Account verifications answered (one row per request, repeats not counted). */
  public long verifications() {
    return sql("count account verifications", c -> {
      try (PreparedStatement select = c.prepareStatement("SELECT COUNT(*) FROM issuer_account_verification");
          ResultSet row = select.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    });
  }

  private Optional<String[]> stored(String key) {
    return sql("read account verification", c -> {
      try (PreparedStatement select = c.prepareStatement(
          "SELECT response_code, approval_code FROM issuer_account_verification WHERE request_key = ?")) {
        select.setString(1, key);
        try (ResultSet row = select.executeQuery()) {
          return row.next() ? Optional.of(new String[] {row.getString(1), row.getString(2)}) : Optional.empty();
        }
      }
    });
  }

  private static void checkNumber(String number) {
    if (number == null || !NUMBER.matcher(number).matches()) {
      throw new IssuerInputException("deposit account number must be " + AccountVerificationRequest.ACCOUNT_CHARS_MIN
          + ".." + AccountVerificationRequest.ACCOUNT_CHARS_MAX + " of 0-9 A-Z");
    }
  }

  /** 16 hex digits of the account number's SHA-256: the same keys with another account are another request. */
  private static String accountTag(String number) {
    try {
      return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(number.getBytes(StandardCharsets.US_ASCII)), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing", e);
    }
  }

  /** Six digits derived from the request's identity: the same request, the same code. */
  private static String approvalCode(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      int value = ((digest[0] & 0xFF) << 16 | (digest[1] & 0xFF) << 8 | (digest[2] & 0xFF)) % 1_000_000;
      return String.format("%06d", value);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing", e);
    }
  }

  /** One statement as a transaction of its own ({@link Database#inTransaction}). */
  private <T> T sql(String what, Database.SqlWork<T> work) {
    try {
      return database.inTransaction(work);
    } catch (SQLException e) {
      throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
    }
  }
}
