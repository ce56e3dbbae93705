package io.iotpay.demo.pos;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.custody.SoftwareKeyCustody;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.time.BusinessClock;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.ZoneKeys;
import io.iotpay.protocol.transit.CardRange;
import io.iotpay.switching.SwitchConfig;
import io.iotpay.switching.online.AcquirerEndpoint;
import io.iotpay.switching.online.IssuerEndpoint;
import io.iotpay.switching.online.OnlineClearing;
import io.iotpay.switching.online.OnlineSwitch;
import io.iotpay.switching.online.OnlineSwitchConfig;
import io.iotpay.switching.online.PinZones;
import io.iotpay.switching.online.PushCreditClearing;
import io.iotpay.switching.online.StandInLimits;
import io.iotpay.switching.online.StoreKeys;
import io.iotpay.switching.transit.TransitSwitch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheme's switch on its own database file: the {@link OnlineSwitch} (routing by card range,
 * message log, stand-in, advices), the {@link OnlineClearing} of the acquirer's presentment files
 * against that log, the push-credit node's database ({@code push-credits.db}: its message log, read by
 * the {@link PushCreditClearing} of QR push credits), and the {@link TransitSwitch} whose T+1 run nets
 * the online captures and refunds and the push credits into multilateral positions on the switch's
 * ledger (with its audit log).
 */
final class SwitchNode implements AutoCloseable {
  static final PartyId ID = PartyId.of("SWITCH");

  final PartyBooks books;
  final OnlineSwitch online;
  final OnlineClearing clearing;
  final TransitSwitch settlement;
  /** The push-credit node's database; the node itself ({@link QrNode}) runs on it. */
  final Database pushDb;
  final PushCreditClearing pushCredits;
  private final SoftwareKeyCustody custody;

  SwitchNode(Path dir, BusinessClock clock, Iso8583Wire wire, List<IssuerNode> issuers, PartyId acquirer,
      ZoneKeys acquirerLink, StandInLimits limits, PinKeys pinKeys, FileTrust files) {
    this.books = new PartyBooks(ID.value(), AlgorithmSuite.NATIONAL, dir.resolve("switch.db"), clock);
    List<IssuerEndpoint> endpoints = new ArrayList<>();
    List<CardRange> ranges = new ArrayList<>();
    for (IssuerNode issuer : issuers) {
      endpoints.add(new IssuerEndpoint(issuer.id, Links.loopback(issuer.port()),
          Links.settings("49990000", "SWITCH01", Links.SWITCH_TO_ISSUER_TIMEOUT_MS), issuer.switchLink,
          Links.STAND_IN_AFTER_MS, limits));
      ranges.add(new CardRange(issuer.rangePrefix, issuer.id));
    }
    StoreKeys storeKeys = new StoreKeys(AlgorithmSuite.NATIONAL, Links.randomKey(), Links.randomKey(), Links.randomKey());
    OnlineSwitchConfig config = OnlineSwitchConfig.defaults(
        List.of(new AcquirerEndpoint(acquirer, Links.loopback(0),
            Links.settings("49990000", "SWITCH01", Links.TERMINAL_TO_ACQUIRER_TIMEOUT_MS), acquirerLink)),
        endpoints, ranges, storeKeys).withAdviceRetryMs(200)
        .withInstitutions(Map.of(MerchantDesk.BANK, issuers.getLast().id)); // the merchants' bank: the penny test
    try {
      this.custody = PinKeys.custody(dir.resolve("custody"), AlgorithmSuite.NATIONAL);
      Map<PartyId, String> acquirerPins = new HashMap<>();
      Map<PartyId, String> issuerPins = new HashMap<>();
      pinKeys.loadSwitch(custody, acquirer, issuers, acquirerPins, issuerPins);
      this.online = new OnlineSwitch(config, books.database, wire, new PinZones(custody, acquirerPins, issuerPins))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("switch cannot listen", e);
    }
    this.clearing = new OnlineClearing(new OnlineClearing.Config(ID, CurrencyUnit.CNY, ranges, List.of(acquirer),
        FileLimits.defaults()), books.database, storeKeys, dir.resolve("clearing"), files);
    this.pushDb = Database.open("jdbc:sqlite:" + dir.resolve("push-credits.db"), 4);
    this.pushCredits = new PushCreditClearing(new PushCreditClearing.Config(issuers.stream().map(i -> i.id).toList(),
        List.of(acquirer), CurrencyUnit.CNY), pushDb);
    this.settlement = new TransitSwitch(SwitchConfig.of(ID, 30, 30_000, 3_000_000_000L, ranges, List.of()),
        books.ledger, books.database, dir.resolve("settlement"), List.of(clearing, pushCredits));
  }

  int port(PartyId acquirer) {
    return online.port(acquirer);
  }

  /** A count from the switch's own tables (message log, advice queue, presentments). */
  long count(String sql) {
    return Long.parseLong(online.query(sql).get(0).get(0));
  }

  /** A number from the push-credit node's tables (its message log, the push credits settled); 0 for NULL. */
  long pushCount(String sql) {
    return new io.iotpay.foundation.store.SqlRows(pushDb, "push-credit node").one(sql, rs -> rs.getLong(1)).orElse(0L);
  }

  @Override
  public void close() {
    online.close();
    settlement.close();
    pushDb.close();
    books.close();
    custody.close();
  }
}
