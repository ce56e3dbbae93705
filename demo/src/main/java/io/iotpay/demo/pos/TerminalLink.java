package io.iotpay.demo.pos;

import io.iotpay.foundation.time.BusinessClock;
import io.iotpay.protocol.iso8583.AuthorisationRequest;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.IccData;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.MonthDayTime;
import io.iotpay.protocol.iso8583.Mti;
import io.iotpay.protocol.iso8583.OriginalData;
import io.iotpay.protocol.iso8583.Outcome;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.iso8583.ReversalRequest;
import io.iotpay.protocol.iso8583.ZoneKeys;
import io.iotpay.terminal.pos.AuthorisationResponse;
import io.iotpay.terminal.pos.OnlineAuthoriser;
import io.iotpay.terminal.pos.PosJournal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The demo's terminal-to-acquirer link until {@code terminal.pos.Iso8583OnlineAuthoriser} exists on
 * main: the kernel's {@link OnlineAuthoriser} as an ISO 8583 0100 (STAN = the journal's transaction
 * number, field 55 = the kernel's chip data) over its own {@link Iso8583Client}, and the 0400 for a
 * journal entry marked for reversal.
 */
final class TerminalLink implements OnlineAuthoriser, AutoCloseable {
  private final Iso8583Client client;
  private final BusinessClock clock;
  private final Map<Long, CardTransaction> sent = new HashMap<>();

  TerminalLink(String terminalId, int acquirerPort, ZoneKeys keys, Iso8583Wire wire, BusinessClock clock) {
    this.clock = clock;
    this.client = new Iso8583Client(Links.loopback(acquirerPort),
        Links.settings(DemoAcquirer.INSTITUTION, terminalId, Links.TERMINAL_TO_ACQUIRER_TIMEOUT_MS), keys, wire);
  }

  @Override
  public AuthorisationResponse authorise(io.iotpay.terminal.pos.AuthorisationRequest request) {
    MonthDayTime now = MonthDayTime.utc(clock.now());
    int stan = (int) (request.transactionSequence() % 1_000_000);
    CardTransaction t = new CardTransaction(request.pan(), "000000", request.amount(), now, stan, now,
        IssuerNode.CARD_EXPIRY, "071", request.panSequence(), DemoAcquirer.INSTITUTION, String.format("%012d", stan),
        request.terminalId(), request.merchantId(), null, new IccData(request.field55()));
    sent.put(request.transactionSequence(), t);
    Outcome outcome = client.send(new AuthorisationRequest(t));
    if (outcome instanceof Outcome.Answered answered && answered.response() instanceof CardResponse response) {
      byte[] arc = response.responseCode().code().getBytes(StandardCharsets.US_ASCII);
      byte[] issuerData = response.iccData() == null ? new byte[0] : response.iccData().value();
      return new AuthorisationResponse.Answered(response.responseCode().approved(), arc, issuerData);
    }
    return new AuthorisationResponse.NoAnswer(outcome.getClass().getSimpleName());
  }

  /** Sends the 0400 for a journal entry marked for reversal; true once the acquirer acknowledged it. */
  boolean reverse(PosJournal.Entry entry) {
    CardTransaction original = sent.get(entry.sequence());
    if (original == null) {
      return false;
    }
    MonthDayTime now = MonthDayTime.utc(clock.now());
    CardTransaction t = new CardTransaction(original.pan(), "000000", original.amount(), now, original.stan(), now,
        original.expiry(), original.posEntryMode(), original.panSequence(), original.acquirerId(), original.rrn(),
        original.terminalId(), original.merchantId(), null, null);
    Outcome outcome = client.send(new ReversalRequest(Mti.REVERSAL_REQUEST, t, ResponseCode.DO_NOT_HONOUR,
        OriginalData.of(Mti.AUTHORISATION_REQUEST, original)));
    return outcome instanceof Outcome.Answered answered && answered.response() instanceof CardResponse r
        && r.responseCode().approved();
  }

  @Override
  public void close() {
    client.close();
  }
}
