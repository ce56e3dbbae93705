package io.iotpay.app.party;

import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.LinkSettings;
import io.iotpay.protocol.iso8583.MonthDayTime;
import io.iotpay.protocol.iso8583.Mti;
import io.iotpay.protocol.iso8583.OriginalData;
import io.iotpay.protocol.iso8583.Outcome;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.iso8583.ReversalRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/**
 * The acquirer's side of the link, until the acquirer host runs as a party of its own: an
 * {@link Iso8583Client} with the acquirer's zone keys from its data directory, and the acquirer's
 * failure exit — a request with no answer is reversed (0400, repeated as the same message) until
 * an 0410 comes back.
 */
final class TestAcquirer implements AutoCloseable {
  static final long REVERSAL_DEADLINE_MS = 60_000;
  private final SchemeSetup.AcquirerLink link;
  private final Iso8583Client client;
  private final String terminal;

  /** What became of one authorisation, seen from the acquirer. */
  record Result(HarnessCard.Tap tap, Outcome outcome, CardResponse response, CardResponse reversal) {
    boolean approved() {
      return response != null && response.responseCode().approved();
    }

    boolean reversed() {
      return reversal != null;
    }

    long amountMinor() {
      return tap.request().transaction().amount().amountMinor();
    }
  }

  TestAcquirer(SchemeSetup.AcquirerLink link, int port, String terminal, long timeoutMs) {
    this.link = link;
    this.terminal = terminal;
    this.client = new Iso8583Client(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
        LinkSettings.defaults(link.institutionId(), link.nodeId()).withEchoIntervalMs(0).withRequestTimeoutMs(timeoutMs), link.keys().zoneKeys(), Iso8583Wire.load());
  }

  /** Sends an 0100 for {@code card}; no answer → reversed until acknowledged. */
  Result authorise(HarnessCard card, Money amount, int atc) {
    HarnessCard.Tap tap = card.authorisation(client.nextStan(), amount, atc, link.institutionId(), terminal,
        "MERCHANT0000001", MonthDayTime.utc(Instant.now()));
    Outcome outcome = client.send(tap.request());
    if (outcome instanceof Outcome.Answered answered && answered.response() instanceof CardResponse response) {
      return new Result(tap, outcome, response, null);
    }
    return new Result(tap, outcome, null, reverse(tap.request().transaction()));
  }

  /** Sends one 0400 for {@code original} again and again (the same message) until an answer comes. */
  CardResponse reverse(CardTransaction original) {
    MonthDayTime now = MonthDayTime.utc(Instant.now());
    CardTransaction t = new CardTransaction(original.pan(), original.processingCode(), original.amount(), now,
        client.nextStan(), now, original.expiry(), original.posEntryMode(), original.panSequence(),
        original.acquirerId(), original.rrn(), original.terminalId(), original.merchantId(), null, null);
    ReversalRequest reversal = new ReversalRequest(Mti.REVERSAL_REQUEST, t, ResponseCode.ISSUER_UNAVAILABLE,
        OriginalData.of(Mti.AUTHORISATION_REQUEST, original));
    long deadline = System.nanoTime() + REVERSAL_DEADLINE_MS * 1_000_000;
    while (System.nanoTime() < deadline) {
      Outcome outcome = client.send(reversal);
      if (outcome instanceof Outcome.Answered answered && answered.response() instanceof CardResponse response) {
        return response;
      }
      LockSupport.parkNanos(200_000_000L); // retry pace of the store-and-forward queue
    }
    throw new AssertionError("reversal not acknowledged within " + REVERSAL_DEADLINE_MS + " ms");
  }

  @Override
  public void close() {
    client.close();
  }
}
