package io.iotpay.protocol.pki;

import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.PartyId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A receiver's durable record of the signed files it accepted (Flyway component {@code signed-files},
 * table {@code signed_file_accepted}), the {@link AcceptedFiles} its verifier asks to refuse replays.
 * Survives restarts; thread-safe (each call is one statement).
 */
public final class AcceptedFileLog implements AcceptedFiles {
  /** The Flyway component of the table. */
  public static final String COMPONENT = "signed-files";

  private final Database database;
  private final PartyId receiver;

  /** Migrates the table in {@code database} (idempotent) and keeps {@code receiver}'s rows. */
  public AcceptedFileLog(Database database, PartyId receiver) {
    this.database = database;
    this.receiver = receiver;
    database.migrate(COMPONENT);
  }

  @Override
  public boolean contains(FileClaims claims) {
    try (Connection c = database.connection();
        PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM signed_file_accepted"
            + " WHERE receiver = ? AND sender = ? AND kind = ? AND business_date = ? AND file_sequence = ?")) {
      s.setString(1, receiver.value());
      s.setString(2, claims.sender().value());
      s.setString(3, claims.kind().wireName());
      s.setString(4, claims.businessDate().toString());
      s.setLong(5, claims.sequence());
      try (ResultSet r = s.executeQuery()) {
        return r.next() && r.getLong(1) > 0;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the accepted signed files of " + receiver, e);
    }
  }

  /**
   * Records {@code file} as accepted: later files with its sender, kind, business date and sequence are replays.
   *
   * @return false when it was recorded already (nothing changes then)
   */
  public boolean record(VerifiedFile file) {
    FileClaims claims = file.claims();
    String sql = database.dialect() == Database.Dialect.SQLITE
        ? "INSERT OR IGNORE INTO signed_file_accepted (receiver, sender, kind, file_sequence, signer, business_date)"
            + " VALUES (?,?,?,?,?,?)"
        : "INSERT INTO signed_file_accepted (receiver, sender, kind, file_sequence, signer, business_date)"
            + " VALUES (?,?,?,?,?,?) ON CONFLICT DO NOTHING";
    return database.writing(() -> {
      try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(sql)) {
        s.setString(1, receiver.value());
        s.setString(2, claims.sender().value());
        s.setString(3, claims.kind().wireName());
        s.setLong(4, claims.sequence());
        s.setString(5, file.signer().party().value());
        s.setString(6, claims.businessDate().toString());
        return s.executeUpdate() == 1;
      } catch (SQLException e) {
        throw new IllegalStateException("cannot record the accepted signed file of " + receiver, e);
      }
    });
  }
}
