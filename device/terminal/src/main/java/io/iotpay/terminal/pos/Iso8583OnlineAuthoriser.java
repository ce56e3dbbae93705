package io.iotpay.terminal.pos;

import io.iotpay.foundation.Assert;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.IccData;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Iso8583Exception;
import io.iotpay.protocol.iso8583.MonthDayTime;
import io.iotpay.protocol.iso8583.Mti;
import io.iotpay.protocol.iso8583.OriginalData;
import io.iotpay.protocol.iso8583.Outcome;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.iso8583.ReversalRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The POS kernel's {@link OnlineAuthoriser} over ISO 8583 to the acquirer's terminal port
 * (docs/acquirer-online.md): each request becomes an 0100 (fields 2, 4/49, 14, 22 = 071, 23, 41,
 * 42, 55, and 52 with an online PIN) sent through an {@link Iso8583Client}; the 0110's field 39
 * and 55 come back as {@link AuthorisationResponse.Answered}. No answer within the client's request
 * timeout (or a lost link, or a refused MAC) is {@link AuthorisationResponse.NoAnswer}: the acquirer
 * reverses such a request by itself, and {@link #reverse} lets the terminal reverse one it journaled.
 *
 * <p>Field 37 (RRN) is the terminal's transaction sequence, 12 digits; field 7 is the clock's UTC
 * time, field 12/13 its local time. The 0100s sent are remembered ({@link SentRequests}: by default
 * the last {@value #REMEMBERED_MAX} in memory) so that a reversal can name them in field 90; with the
 * in-memory default, after a restart of the terminal the acquirer's own timeout reversal is what
 * undoes an unanswered request.
 */
public final class Iso8583OnlineAuthoriser implements OnlineAuthoriser {
  /** Sent requests remembered for {@link #reverse}. */
  public static final int REMEMBERED_MAX = 10_000;
  private static final String CONTACTLESS_CHIP = "071";

  /** What became of a terminal's reversal. */
  public enum ReversalResult {
    /** The acquirer acknowledged it (0410 with 00): it will be delivered to the issuer. */
    ACKNOWLEDGED,
    /** No acknowledgement (timeout, link down, refusal): send it again later. */
    NOT_ACKNOWLEDGED,
    /** This authoriser sent no request with that sequence (or has forgotten it). */
    UNKNOWN
  }

  /**
   * Where the 0100s sent are remembered for {@link #reverse}. The default is in memory (the last
   * {@value #REMEMBERED_MAX}); a durable one lets a restarted terminal reverse what it sent before it
   * stopped (the phone SDK's, docs/phone-sdk.md). {@link #put} is called before the request is sent.
   */
  public interface SentRequests {
    void put(long transactionSequence, CardTransaction sent);

    Optional<CardTransaction> get(long transactionSequence);

    /** The reversal of this request was acknowledged. */
    void remove(long transactionSequence);

    /** The last {@value #REMEMBERED_MAX} sent requests, in memory. */
    static SentRequests inMemory() {
      Map<Long, CardTransaction> sent = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, CardTransaction> eldest) {
          return size() > REMEMBERED_MAX;
        }
      };
      return new SentRequests() {
        @Override
        public synchronized void put(long transactionSequence, CardTransaction t) {
          sent.put(transactionSequence, t);
        }

        @Override
        public synchronized Optional<CardTransaction> get(long transactionSequence) {
          return Optional.ofNullable(sent.get(transactionSequence));
        }

        @Override
        public synchronized void remove(long transactionSequence) {
          sent.remove(transactionSequence);
        }
      };
    }
  }

  private final Iso8583Client client;
  private final String acquirerId;
  private final Clock clock;
  private final SentRequests sent;

  /**
   * @param client the link to the acquirer's terminal port (its request timeout is the kernel's online timeout)
   * @param acquirerId field 32, 1..11 digits
   * @param clock the terminal's clock (field 7 in UTC, 12/13 in its zone)
   */
  public Iso8583OnlineAuthoriser(Iso8583Client client, String acquirerId, Clock clock) {
    this(client, acquirerId, clock, SentRequests.inMemory());
  }

  /** As above, remembering sent requests in {@code sent}. */
  public Iso8583OnlineAuthoriser(Iso8583Client client, String acquirerId, Clock clock, SentRequests sent) {
    this.client = Assert.notNull(client, "client");
    Assert.that(acquirerId != null && acquirerId.matches("[0-9]{1,11}"), "acquirer id must be 1..11 digits");
    this.acquirerId = acquirerId;
    this.clock = Assert.notNull(clock, "clock");
    this.sent = Assert.notNull(sent, "sent");
  }

  @Override
  public AuthorisationResponse authorise(AuthorisationRequest request) {
    if (request.expiry() == null) {
      return new AuthorisationResponse.NoAnswer("the request has no card expiry (field 14): not sent");
    }
    CardTransaction transaction;
    try {
      transaction = new CardTransaction(request.pan(), "000000", request.amount(),
          MonthDayTime.utc(clock.instant()), client.nextStan(),
          MonthDayTime.of(LocalDateTime.ofInstant(clock.instant(), clock.getZone())), request.expiry(),
          CONTACTLESS_CHIP, request.panSequence(), acquirerId, rrn(request.transactionSequence()),
          pad(request.terminalId(), 8), pad(request.merchantId(), 15),
          request.pinBlock().orElse(null), new IccData(request.field55()));
    } catch (Iso8583Exception e) {
      return new AuthorisationResponse.NoAnswer("request not sent: " + e.getMessage());
    }
    sent.put(request.transactionSequence(), transaction);
    Outcome outcome = client.send(new io.iotpay.protocol.iso8583.AuthorisationRequest(transaction));
    if (outcome instanceof Outcome.Answered answered && answered.response() instanceof CardResponse response) {
      byte[] arc = response.responseCode().code().getBytes(StandardCharsets.US_ASCII);
      byte[] issuerData = response.iccData() == null ? new byte[0] : response.iccData().value();
      return new AuthorisationResponse.Answered(response.responseCode().approved(), arc, issuerData);
    }
    return new AuthorisationResponse.NoAnswer(outcome.toString());
  }

  /**
   * Sends an 0400 for the request this authoriser sent with {@code transactionSequence} (a journal
   * entry the kernel marked for reversal), with a new STAN and field 90 naming the 0100.
   *
   * @param reason field 39 of the reversal (e.g. 91 no answer, 05 card declined the issuer's approval)
   */
  public ReversalResult reverse(long transactionSequence, ResponseCode reason) {
    Optional<CardTransaction> remembered = sent.get(transactionSequence);
    if (remembered.isEmpty()) {
      return ReversalResult.UNKNOWN;
    }
    CardTransaction original = remembered.get();
    CardTransaction reversal = new CardTransaction(original.pan(), original.processingCode(), original.amount(),
        MonthDayTime.utc(clock.instant()), client.nextStan(), original.localTime(), original.expiry(),
        original.posEntryMode(), original.panSequence(), original.acquirerId(), original.rrn(), original.terminalId(),
        original.merchantId(), null, original.iccData());
    Outcome outcome = client.send(new ReversalRequest(Mti.REVERSAL_REQUEST, reversal, reason,
        OriginalData.of(Mti.AUTHORISATION_REQUEST, original)));
    if (outcome instanceof Outcome.Answered answered && answered.response() instanceof CardResponse response
        && response.responseCode().approved()) {
      sent.remove(transactionSequence);
      return ReversalResult.ACKNOWLEDGED;
    }
    return ReversalResult.NOT_ACKNOWLEDGED;
  }

  private static String rrn(long sequence) {
    return String.format("%012d", sequence % 1_000_000_000_000L);
  }

  private static String pad(String value, int length) {
    return value.length() >= length ? value : value + " ".repeat(length - value.length());
  }
}
