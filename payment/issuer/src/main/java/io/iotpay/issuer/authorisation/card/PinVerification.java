package io.iotpay.issuer.authorisation.card;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.CryptoException;
import io.iotpay.foundation.custody.KeyCustody;
import io.iotpay.foundation.custody.KeyRef;
import io.iotpay.foundation.custody.KeyUsage;
import io.iotpay.foundation.store.Database;
import io.iotpay.issuer.IssuerInputException;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.iso8583.PinBlock;
import io.iotpay.protocol.iso8583.ResponseCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The issuer's online PIN check (docs/pin-and-dukpt.md, "The flow"). Each card has a reference PIN:
 * a format 4 block under the issuer's PIN verification key (PVK) in the key custody, made at
 * enrolment by translating the cardholder's PIN selection block. An 0100's PIN block arrives under
 * the zone PIN key shared with the switch; the custody compares the two PINs inside
 * ({@link KeyCustody#verifyPin}). The card's tries are counted: a wrong PIN answers 55, the wrong
 * PIN that uses the last try and every attempt after it answer 75, a right PIN restores the tries.
 * Tables: Flyway component {@value #COMPONENT}, keyed by the PAN's look-up hash.
 */
public final class PinVerification {
  static final String COMPONENT = "issuer-pin";
  /** Most PIN tries a card may be configured with (EMV's PIN try counter is one byte; issuers use 3 to 6). */
  public static final int TRIES_MAX_LIMIT = 15;

  /**
   * @param zonePinKeyLabel custody label of the zone PIN key shared with the switch
   * @param pinVerificationKeyLabel custody label of the PVK ({@link KeyUsage#PIN_VERIFICATION})
   * @param triesMax wrong PINs in a row a card allows, 1..{@value #TRIES_MAX_LIMIT} (commonly 3)
   */
  public record Settings(String zonePinKeyLabel, String pinVerificationKeyLabel, int triesMax) {
    public Settings {
      Assert.notNull(zonePinKeyLabel, "zonePinKeyLabel");
      Assert.notNull(pinVerificationKeyLabel, "pinVerificationKeyLabel");
      Assert.that(triesMax >= 1 && triesMax <= TRIES_MAX_LIMIT, "triesMax {} outside 1..{}", triesMax, TRIES_MAX_LIMIT);
    }
  }

  /** The answer of one check: {@code code} is null when the PIN verified. */
  enum Outcome {
    VERIFIED(null),
    WRONG_PIN(ResponseCode.INCORRECT_PIN),
    TRIES_EXCEEDED(ResponseCode.PIN_TRIES_EXCEEDED),
    NOT_ENROLLED(ResponseCode.NOT_PERMITTED_TO_CARDHOLDER),
    /** The block does not decipher under the zone key: a key or transport fault, not a wrong PIN; no try is used. */
    UNREADABLE(ResponseCode.SECURITY_VIOLATION);

    final ResponseCode code;

    Outcome(ResponseCode code) {
      this.code = code;
    }
  }

  /** Checks done since the tables were made, summed over every card. */
  public record Counts(long verified, long failed) {}

  private final Database database;
  private final KeyCustody custody;
  private final Settings settings;

  PinVerification(Database database, KeyCustody custody, Settings settings) {
    this.database = Assert.notNull(database, "database");
    this.custody = Assert.notNull(custody, "custody");
    this.settings = Assert.notNull(settings, "settings");
    database.migrate(COMPONENT);
  }

  /**
   * Sets the card's reference PIN from a PIN selection block under the zone PIN key (the block a
   * PIN selection channel sends; the clear PIN never reaches this process) and restores its tries.
   *
   * @throws IssuerInputException when the block does not decipher (nothing changes)
   */
  void enrol(String panHash, Pan pan, byte[] selectionBlock) {
    KeyRef pvk = custody.current(settings.pinVerificationKeyLabel());
    byte[] reference;
    try {
      reference = custody.translatePinBlock(custody.current(settings.zonePinKeyLabel()), pvk, selectionBlock,
          pan.digits());
    } catch (CryptoException e) {
      throw new IssuerInputException("PIN selection block refused: " + e.getMessage());
    }
    database.writing(() -> sql("enrol PIN", c -> {
      try (PreparedStatement upsert = c.prepareStatement("INSERT INTO issuer_card_pin (pan_hash, reference_pin,"
          + " pvk_label, pvk_version, tries_left, verified, failed) VALUES (?, ?, ?, ?, ?, 0, 0)"
          + " ON CONFLICT (pan_hash) DO UPDATE SET reference_pin = excluded.reference_pin,"
          + " pvk_label = excluded.pvk_label, pvk_version = excluded.pvk_version, tries_left = excluded.tries_left")) {
        upsert.setString(1, panHash);
        upsert.setString(2, Hex.encode(reference));
        upsert.setString(3, pvk.label());
        upsert.setInt(4, pvk.version());
        upsert.setInt(5, settings.triesMax());
        return upsert.executeUpdate();
      }
    }));
  }

  /**
   * Checks {@code block} (under the zone PIN key) against the card's reference PIN and counts the
   * try. The caller serialises the checks of a card (the host's lock), so the read and the update
   * below see no other check in between.
   */
  Outcome verify(String panHash, Pan pan, PinBlock block) {
    return database.writing(() -> sql("verify PIN", c -> {
      String reference;
      KeyRef pvk;
      int triesLeft;
      try (PreparedStatement select = c.prepareStatement("SELECT reference_pin, pvk_label, pvk_version, tries_left"
          + " FROM issuer_card_pin WHERE pan_hash = ?")) {
        select.setString(1, panHash);
        try (ResultSet row = select.executeQuery()) {
          if (!row.next()) {
            return Outcome.NOT_ENROLLED;
          }
          reference = row.getString(1);
          KeyRef current = custody.current(row.getString(2));
          pvk = new KeyRef(current.label(), row.getInt(3), current.suite(), KeyUsage.PIN_VERIFICATION);
          triesLeft = row.getInt(4);
        }
      }
      if (triesLeft <= 0) {
        return Outcome.TRIES_EXCEEDED;
      }
      boolean right;
      try {
        right = custody.verifyPin(custody.current(settings.zonePinKeyLabel()), block.value(), pvk,
            Hex.decode(reference), pan.digits());
      } catch (CryptoException e) {
        return Outcome.UNREADABLE;
      }
      try (PreparedStatement update = c.prepareStatement(right
          ? "UPDATE issuer_card_pin SET tries_left = ?, verified = verified + 1 WHERE pan_hash = ?"
          : "UPDATE issuer_card_pin SET tries_left = ?, failed = failed + 1 WHERE pan_hash = ?")) {
        update.setInt(1, right ? settings.triesMax() : triesLeft - 1);
        update.setString(2, panHash);
        update.executeUpdate();
      }
      return right ? Outcome.VERIFIED : triesLeft - 1 == 0 ? Outcome.TRIES_EXCEEDED : Outcome.WRONG_PIN;
    }));
  }

  /** Wrong PINs the card may still enter, or -1 when it has no reference PIN. */
  int triesLeft(String panHash) {
    return sql("read tries", c -> {
      try (PreparedStatement select = c.prepareStatement("SELECT tries_left FROM issuer_card_pin WHERE pan_hash = ?")) {
        select.setString(1, panHash);
        try (ResultSet row = select.executeQuery()) {
          return row.next() ? row.getInt(1) : -1;
        }
      }
    });
  }

  /** PINs verified, and PINs checked and found wrong, over every card. */
  public Counts counts() {
    return sql("count PIN checks", c -> {
      try (PreparedStatement select = c.prepareStatement(
          "SELECT COALESCE(SUM(verified), 0), COALESCE(SUM(failed), 0) FROM issuer_card_pin");
          ResultSet row = select.executeQuery()) {
        row.next();
        return new Counts(row.getLong(1), row.getLong(2));
      }
    });
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** One connection for {@code work}; each statement commits on its own. */
  private <T> T sql(String what, Work<T> work) {
    try (Connection connection = database.connection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
    }
  }
}
