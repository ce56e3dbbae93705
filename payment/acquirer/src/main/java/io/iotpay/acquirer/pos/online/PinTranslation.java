package io.iotpay.acquirer.pos.online;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.CryptoException;
import io.iotpay.foundation.crypto.Dukpt;
import io.iotpay.foundation.custody.KeyCustody;
import io.iotpay.foundation.custody.KeyRef;
import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.PinBlock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

/**
 * The acquirer's side of online PIN (docs/pin-and-dukpt.md, "The flow"): a terminal's format 4
 * block, enciphered under its DUKPT PIN key (field 52, KSN in field 53), is translated through the
 * key custody to the zone PIN key the acquirer shares with the switch; the BDK is chosen by the
 * KSN's BDK id. The clear PIN and the DUKPT keys exist only inside the custody. Every KSN is
 * recorded (Flyway component {@value #COMPONENT}): a second request under the same KSN is a replay.
 */
public final class PinTranslation {
  static final String COMPONENT = "acquirer-pin";
  /** Bytes of the BDK id at the front of a KSN (ANSI X9.24-3: BDK id 4 ‖ derivation id 4 ‖ counter 4). */
  static final int BDK_ID_BYTES = 4;

  /** What translation gave: the block to forward, or why the request is refused (never PIN data). */
  public sealed interface Result {
    record Translated(PinBlock block) implements Result {}

    record Refused(String why) implements Result {}
  }

  private final KeyCustody custody;
  private final Map<String, String> bdkLabels;
  private final String zonePinKeyLabel;
  private final Database database;

  /**
   * @param custody the acquirer's key custody, holding the BDKs and the zone PIN key; not closed here
   * @param bdkLabels custody label of each BDK by its BDK id, 8 upper-case hex digits
   * @param zonePinKeyLabel custody label of the zone PIN key shared with the switch
   * @param database the acquirer's store (applies the {@value #COMPONENT} migrations); not closed here
   */
  public PinTranslation(KeyCustody custody, Map<String, String> bdkLabels, String zonePinKeyLabel, Database database) {
    this.custody = Assert.notNull(custody, "custody");
    this.bdkLabels = Map.copyOf(bdkLabels);
    Assert.that(this.bdkLabels.keySet().stream().allMatch(id -> id.matches("[0-9A-F]{8}")),
        "BDK ids must be 8 upper-case hex digits");
    this.zonePinKeyLabel = Assert.notNull(zonePinKeyLabel, "zonePinKeyLabel");
    this.database = Assert.notNull(database, "database");
    database.migrate(COMPONENT);
  }

  /** The request's PIN block under the acquirer–switch zone PIN key; changes nothing. */
  Result translate(CardTransaction t) {
    PinBlock block = t.pinBlock();
    byte[] ksn = block.ksn();
    if (ksn == null) {
      return new Result.Refused("a terminal's PIN block arrived without its KSN (field 53)");
    }
    String bdkId = Hex.encode(ksn).substring(0, 2 * BDK_ID_BYTES);
    String bdkLabel = bdkLabels.get(bdkId);
    if (bdkLabel == null) {
      return new Result.Refused("no BDK with id " + bdkId);
    }
    try {
      Dukpt.Ksn parsed = Dukpt.Ksn.parse(ksn);
      if (!parsed.isValid()) {
        return new Result.Refused("the KSN's counter is not one a DUKPT device uses");
      }
      KeyRef bdk = custody.current(bdkLabel);
      byte[] translated = custody.translateDukptPinBlock(bdk, ksn, custody.current(zonePinKeyLabel), block.value(),
          t.pan().digits());
      return new Result.Translated(new PinBlock(translated));
    } catch (CryptoException e) {
      return new Result.Refused("the PIN block does not translate: " + e.getMessage());
    }
  }

  /**
   * Records the request's KSN.
   *
   * @return true the first time, false when a request used this KSN before (a replay)
   * @throws AcquirerStoreException when the store cannot be written
   */
  boolean firstUse(byte[] ksn, String terminalId, long nowMs) {
    return database.writing(() -> {
      try (Connection c = database.connection();
          PreparedStatement insert = c.prepareStatement("INSERT INTO pin_ksn_used (ksn, terminal_id, used_at_ms)"
              + " VALUES (?, ?, ?) ON CONFLICT (ksn) DO NOTHING")) {
        insert.setString(1, Hex.encode(ksn));
        insert.setString(2, terminalId);
        insert.setLong(3, nowMs);
        return insert.executeUpdate() == 1;
      } catch (SQLException e) {
        throw new AcquirerStoreException("record KSN failed: " + e.getMessage(), e);
      }
    });
  }
}
