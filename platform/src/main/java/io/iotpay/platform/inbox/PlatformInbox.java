package io.iotpay.platform.inbox;

import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.time.BusinessClock;
import io.iotpay.protocol.device.RefusalReason;
import io.iotpay.platform.decision.DecisionInputException;
import io.iotpay.platform.decision.DecisionStoreException;
import io.iotpay.platform.decision.IdempotencyKey;
import io.iotpay.platform.decision.Payment;
import io.iotpay.platform.decision.PaymentDecision;
import io.iotpay.platform.decision.PaymentDecisionService;
import io.iotpay.platform.decision.PaymentIntent;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.envelope.AnswerPayload;
import io.iotpay.platform.envelope.DeviceMessage;
import io.iotpay.platform.envelope.EnvelopeException;
import io.iotpay.platform.envelope.EnvelopeService;
import io.iotpay.platform.rules.DeviceEvent;
import io.iotpay.platform.rules.RuleEngine;
import io.iotpay.platform.state.DeviceObservation;
import io.iotpay.platform.state.DeviceStateRegistry;
import io.iotpay.platform.state.GeoPoint;
import io.iotpay.protocol.device.DeviceMessageCodec;
import io.iotpay.protocol.device.DeviceRequest;
import io.iotpay.protocol.device.PlatformAnswer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform behind every transport: opens the device's envelope (identity, suite, signature,
 * counter, channel), notes what it says about the device's state, runs the device type's rules on an
 * event and decides each payment they ask for (mandate, risk, hold at the issuer, audit), records a
 * delivery as capture or void, and answers with a signed {@link PlatformAnswer}. Every refused
 * envelope becomes a {@link SecurityEvent} with its reason, and nothing is paid.
 *
 * <p><b>Exactly once.</b> The envelope service runs this handler at most once per device and counter
 * and answers an exact duplicate with the stored answer; payment decisions are keyed by device and
 * counter too. So QoS 1 redelivery, CoAP retransmission and device retries never pay twice.
 *
 * <p><b>Clones.</b> A genuine envelope refused as a replayed counter is still shown to the state
 * registry with its session: a second device with the same identity interleaves sessions and
 * counters, which the registry flags, and risk then declines that identity's payments.
 *
 * <p>Thread-safe: the services it calls are.
 */
public final class PlatformInbox implements DeviceInbox {
  private static final Pattern NON_VISIBLE = Pattern.compile("[^\\x21-\\x7E]");
  private static final Pattern NON_PRINTABLE = Pattern.compile("[^\\x20-\\x7E]");
  private static final Logger LOG = LoggerFactory.getLogger(PlatformInbox.class);
  private static final String NO_SESSION = "unknown";

  private final EnvelopeService envelopes;
  private final DeviceStateRegistry states;
  private final RuleEngine rules;
  private final PaymentDecisionService decisions;
  private final BusinessClock clock;
  private final SecurityEventLog security;
  private final AtomicLong events = new AtomicLong();
  private final AtomicLong messages = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final DoorConnects connects = new DoorConnects();

  public PlatformInbox(EnvelopeService envelopes, DeviceStateRegistry states, RuleEngine rules,
      PaymentDecisionService decisions, BusinessClock clock, SecurityEventLog security) {
    this.envelopes = Objects.requireNonNull(envelopes, "envelopes");
    this.states = Objects.requireNonNull(states, "states");
    this.rules = Objects.requireNonNull(rules, "rules");
    this.decisions = Objects.requireNonNull(decisions, "decisions");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.security = Objects.requireNonNull(security, "security");
  }

  @Override
  public Reply deliver(Transport transport, DeviceId channelDevice, byte[] envelope) {
    return deliver(transport, channelDevice, NO_SESSION, envelope);
  }

  @Override
  public Reply deliver(Transport transport, DeviceId channelDevice, String sessionId, byte[] envelope) {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(channelDevice, "channelDevice");
    String session = session(transport, sessionId);
    try {
      EnvelopeService.Outcome outcome = envelopes.handle(envelope, channelDevice, message -> handle(session, message));
      if (outcome instanceof EnvelopeService.Outcome.Duplicate) {
        duplicates.incrementAndGet();
        return new Reply.Answer(outcome.answer(), true);
      }
      return new Reply.Answer(outcome.answer(), false);
    } catch (EnvelopeException e) {
      // A refused message (a replay above all) is never shown to clone detection: anyone who captured
      // an envelope can resend it, so it must not lock the real device out.
      return refuse(transport, channelDevice, RefusalReason.valueOf(e.reason().name()), e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("Device message could not be processed [transport={}, channel={}]", transport, channelDevice, e);
      return refuse(transport, channelDevice, RefusalReason.UNAVAILABLE, "the platform could not process the message now; retry");
    }
  }

  @Override
  public void connectivity(Transport transport, DeviceId device, ConnectivityEvent event, String sessionId) {
    if (event == ConnectivityEvent.CONNECTED) {
      connects.connected(transport);
    }
    Instant now = clock.now();
    try {
      states.observe(switch (event) {
        case CONNECTED -> new DeviceObservation.Connected(device, now, session(transport, sessionId));
        case HEARTBEAT -> new DeviceObservation.Heartbeat(device, now);
        case LOST, DISCONNECTED -> new DeviceObservation.LastWill(device, now);
      });
    } catch (InvalidInputException e) {
      LOG.warn("Connectivity event ignored [transport={}, device={}, event={}]: {}", transport, device, event, e.getMessage());
    }
  }

  @Override
  public void refusedAtDoor(Transport transport, DeviceId channelDevice, RefusalReason reason, String detail) {
    refuse(transport, channelDevice, reason, detail);
  }

  @Override
  public void refusedConnection(Transport transport, String claimed, String reason, String detail) {
    security.record(new SecurityEvent(clock.now(), transport, claimed, reason, detail));
  }

  @Override
  public java.util.Optional<SecurityEventLog> securityEvents() {
    return java.util.Optional.of(security);
  }

  @Override
  public java.util.Optional<DoorConnects> doorConnects() {
    return java.util.Optional.of(connects);
  }

  /** Counts one exact duplicate answered again (the batching pipeline admits them itself). */
  void countDuplicate() {
    duplicates.incrementAndGet();
  }

  /** Counts of what came through this inbox. */
  public InboxStats stats() {
    return new InboxStats(messages.get(), events.get(), duplicates.get(), security.total());
  }

  public SecurityEventLog securityLog() {
    return security;
  }

  Reply refuse(Transport transport, DeviceId channel, RefusalReason reason, String detail) {
    security.record(clock.now(), transport, channel.value(), reason, detail);
    return new Reply.Refused(reason, detail);
  }

  /** Runs once per accepted message (the envelope service guarantees it). */
  AnswerPayload handle(String session, DeviceMessage message) {
    return handleAll(List.of(session), List.of(message)).get(0);
  }

  /**
   * The business step of many accepted messages at once, in order: as {@link #handle} for each, except
   * that the payments all their events ask for are decided in one batch (one issuer exchange, one store
   * transaction). Runs once per message (the pipeline admitted each once).
   */
  List<AnswerPayload> handleAll(List<String> sessions, List<DeviceMessage> batch) {
    int n = batch.size();
    PlatformAnswer[] answers = new PlatformAnswer[n];
    List<List<PaymentIntent>> intentsOf = new ArrayList<>(Collections.nCopies(n, null));
    List<PaymentIntent> all = new ArrayList<>();
    Instant now = clock.now();
    for (int i = 0; i < n; i++) {
      DeviceMessage message = batch.get(i);
      messages.incrementAndGet();
      DeviceId device = message.deviceId();
      try {
        states.observe(new DeviceObservation.Message(device, now, sessions.get(i), place(sessions.get(i)), message.counter()));
        DeviceRequest request = DeviceMessageCodec.decodeRequest(message.payload());
        switch (request) {
          case DeviceRequest.Event event -> {
            events.incrementAndGet();
            List<PaymentIntent> intents = rules.onEvent(new DeviceEvent(device, event.deviceType(), message.counter(), now, event.fields()));
            intents = intents.subList(0, Math.min(intents.size(), PlatformAnswer.DECISIONS_MAX));
            intentsOf.set(i, intents);
            all.addAll(intents);
          }
          case DeviceRequest.Delivery delivery -> answers[i] = onDelivery(device, delivery);
          case DeviceRequest.Status status -> answers[i] = onStatus(device, now, status);
        }
      } catch (InvalidInputException e) {
        answers[i] = PlatformAnswer.of(PlatformAnswer.Status.BAD_PAYLOAD, line(e.getMessage()));
      } catch (DecisionStoreException e) {
        LOG.error("Payment store failed while handling a message [device={}, counter={}]", device, message.counter(), e);
        answers[i] = PlatformAnswer.of(PlatformAnswer.Status.UNAVAILABLE, "the payment store failed; send a new message later");
      }
    }
    List<PaymentDecision> decided = null;
    if (!all.isEmpty()) {
      try {
        decided = decisions.decideAll(all);
      } catch (DecisionInputException e) {
        LOG.warn("Payment batch refused as a whole ({}); deciding its messages one by one", e.getMessage());
      } catch (DecisionStoreException e) {
        LOG.error("Payment store failed for a batch of {} intents", all.size(), e);
        for (int i = 0; i < n; i++) {
          if (intentsOf.get(i) != null && answers[i] == null) {
            answers[i] = PlatformAnswer.of(PlatformAnswer.Status.UNAVAILABLE, "the payment store failed; send a new message later");
          }
        }
        all = List.of();
      }
    }
    int next = 0;
    for (int i = 0; i < n; i++) {
      List<PaymentIntent> intents = intentsOf.get(i);
      if (intents == null || answers[i] != null) {
        continue;
      }
      List<PlatformAnswer.Decision> summaries = new ArrayList<>(intents.size());
      try {
        for (PaymentIntent intent : intents) {
          summaries.add(summary(decided != null ? decided.get(next++) : decisions.decide(intent)));
        }
        answers[i] = new PlatformAnswer(PlatformAnswer.Status.OK, summaries.size() + " payment decision(s)", summaries);
      } catch (InvalidInputException e) {
        answers[i] = PlatformAnswer.of(PlatformAnswer.Status.BAD_PAYLOAD, line(e.getMessage()));
      } catch (DecisionStoreException e) {
        answers[i] = PlatformAnswer.of(PlatformAnswer.Status.UNAVAILABLE, "the payment store failed; send a new message later");
      }
    }
    List<AnswerPayload> payloads = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      payloads.add(new AnswerPayload(DeviceMessageCodec.encode(answers[i]), batch.get(i).encrypted()));
    }
    return payloads;
  }

  private PlatformAnswer onDelivery(DeviceId device, DeviceRequest.Delivery delivery) {
    IdempotencyKey key = new IdempotencyKey(device, delivery.paymentCounter());
    try {
      if (delivery.delivered()) {
        decisions.capture(key);
      } else {
        decisions.voidPayment(key);
      }
    } catch (DecisionInputException e) {
      return PlatformAnswer.of(PlatformAnswer.Status.NO_SUCH_PAYMENT, line(e.getMessage()));
    }
    PaymentDecision decision = decisions.decision(key).orElseThrow();
    return new PlatformAnswer(PlatformAnswer.Status.OK, delivery.delivered() ? "captured" : "voided", List.of(summary(decision)));
  }

  private PlatformAnswer onStatus(DeviceId device, Instant now, DeviceRequest.Status status) {
    if (status.firmware() != null) {
      states.observe(new DeviceObservation.FirmwareReported(device, now, status.firmware()));
    }
    if (status.tampered() != null) {
      states.observe(new DeviceObservation.TamperReported(device, now, status.tampered()));
    }
    if (status.latitudeMicro() != null) {
      states.observe(new DeviceObservation.LocationReported(device, now,
          new GeoPoint(status.latitudeMicro() / 1e6, status.longitudeMicro() / 1e6)));
    }
    return PlatformAnswer.of(PlatformAnswer.Status.OK, "status noted");
  }

  private PlatformAnswer.Decision summary(PaymentDecision decision) {
    String state = decisions.payment(decision.key()).map(Payment::state).map(Enum::name).orElse("NONE");
    // DecisionReason admits only codes the answer's format takes (1..64 of A-Z 0-9 _).
    List<String> reasons = decision.reasons().stream().map(r -> r.code()).limit(PlatformAnswer.Decision.REASONS_MAX).toList();
    return new PlatformAnswer.Decision(decision.key().counter(), decision.outcome().name(), state, decision.intent().merchantId(),
        decision.amount().amountMinor(), decision.amount().currency().alphaCode(), reasons);
  }

  /**
   * Where a session's device is, for clone detection: an HTTP session is {@code http:ADDRESS:PORT} (one
   * per TCP connection), so its place is the address without the port (an honest device's keep-alive
   * connections share it); other transports' sessions carry no address, so the session is the place.
   */
  static String place(String session) {
    if (session.startsWith("http:")) {
      int colon = session.lastIndexOf(':');
      if (colon > "http:".length() && session.substring(colon + 1).chars().allMatch(Character::isDigit)) {
        return session.substring(0, colon);
      }
    }
    return session;
  }

  static String session(Transport transport, String sessionId) {
    String id = sessionId == null || sessionId.isEmpty() ? NO_SESSION : sessionId;
    String cut = id.length() > 100 ? id.substring(0, 100) : id;
    return transport.name().toLowerCase(Locale.ROOT) + ":" + NON_VISIBLE.matcher(cut).replaceAll("_");
  }

  private static String line(String text) {
    String printable = text == null ? "" : NON_PRINTABLE.matcher(text).replaceAll("?");
    return printable.length() > PlatformAnswer.DETAIL_CHARS_MAX ? printable.substring(0, PlatformAnswer.DETAIL_CHARS_MAX) : printable;
  }
}
