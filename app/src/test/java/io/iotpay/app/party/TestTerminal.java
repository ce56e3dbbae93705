package io.iotpay.app.party;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.LinkSettings;
import io.iotpay.protocol.iso8583.MonthDayTime;
import io.iotpay.protocol.iso8583.Outcome;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;

/** A terminal of the harness talking to an acquirer process: field 41 an enrolled terminal id, the terminals' zone keys. */
final class TestTerminal implements AutoCloseable {
  /** STANs of every harness terminal, never reused in a run: a new client must not repeat an earlier request's key. */
  private static final java.util.concurrent.atomic.AtomicInteger STANS = new java.util.concurrent.atomic.AtomicInteger();
  final SchemeSetup.TerminalLink link;
  final Iso8583Client client;
  final String terminalId;

  TestTerminal(SchemeSetup.TerminalLink link) {
    this.link = link;
    this.terminalId = link.terminalIds().get(0);
    this.client = new Iso8583Client(new InetSocketAddress(InetAddress.getLoopbackAddress(), link.acquirerAddress().getPort()),
        LinkSettings.defaults(link.institutionId(), terminalId).withEchoIntervalMs(0).withRequestTimeoutMs(20_000),
        link.keys().zoneKeys(), Iso8583Wire.load());
  }

  /** One tap: the card's 0100 and what came back. */
  record Tap(HarnessCard.Tap tap, Outcome outcome) {
    CardResponse response() {
      return outcome instanceof Outcome.Answered a && a.response() instanceof CardResponse r ? r : null;
    }

    boolean approved() {
      return response() != null && response().responseCode().approved();
    }
  }

  Tap tap(HarnessCard card, long amountMinor) {
    HarnessCard.Tap tap = card.authorisation(STANS.incrementAndGet(), Money.ofMinor(amountMinor, CurrencyUnit.CNY), 1,
        link.institutionId(), terminalId, "MERCHANT0000001", MonthDayTime.utc(Instant.now()));
    return new Tap(tap, client.send(tap.request()));
  }

  @Override
  public void close() {
    client.close();
  }
}
