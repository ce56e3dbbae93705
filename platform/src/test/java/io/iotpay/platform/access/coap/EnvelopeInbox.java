package io.iotpay.platform.access.coap;

import io.iotpay.platform.inbox.DeviceInbox;
import io.iotpay.protocol.device.RefusalReason;
import io.iotpay.platform.inbox.Reply;
import io.iotpay.platform.inbox.Transport;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.envelope.AnswerPayload;
import io.iotpay.platform.envelope.EnvelopeException;
import io.iotpay.platform.envelope.EnvelopeService;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test inbox over the real {@link EnvelopeService} (with its channel binding), answering
 * {@code "ok:" + payload}; it counts what the transport handed it and records the sessions named.
 */
final class EnvelopeInbox implements DeviceInbox {
  /** The real bounded security log, fed with the refused DTLS handshakes. */
  final io.iotpay.platform.inbox.SecurityEventLog security = new io.iotpay.platform.inbox.SecurityEventLog(1_000, 1_000);

  @Override
  public void refusedConnection(io.iotpay.platform.inbox.Transport transport, String claimed, String reason, String detail) {
    security.record(new io.iotpay.platform.inbox.SecurityEvent(java.time.Instant.now(), transport, claimed, reason, detail));
  }

  record Connectivity(Transport transport, DeviceId device, ConnectivityEvent event, String sessionId) {}

  private final EnvelopeService envelopes;
  final AtomicInteger deliveries = new AtomicInteger();
  final AtomicInteger handled = new AtomicInteger();
  final ConcurrentLinkedQueue<Connectivity> connectivity = new ConcurrentLinkedQueue<>();

  EnvelopeInbox(EnvelopeService envelopes) {
    this.envelopes = envelopes;
  }

  final ConcurrentLinkedQueue<String> deliverySessions = new ConcurrentLinkedQueue<>();

  @Override
  public Reply deliver(Transport transport, DeviceId channelDevice, String sessionId, byte[] envelope) {
    deliverySessions.add(sessionId);
    return deliver(transport, channelDevice, envelope);
  }

  @Override
  public Reply deliver(Transport transport, DeviceId channelDevice, byte[] envelope) {
    deliveries.incrementAndGet();
    try {
      return switch (envelopes.handle(envelope, channelDevice, message -> {
        handled.incrementAndGet();
        return new AnswerPayload(("ok:" + new String(message.payload(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8), false);
      })) {
        case EnvelopeService.Outcome.Handled fresh -> new Reply.Answer(fresh.answer(), false);
        case EnvelopeService.Outcome.Duplicate repeat -> new Reply.Answer(repeat.answer(), true);
      };
    } catch (EnvelopeException e) {
      return new Reply.Refused(RefusalReason.valueOf(e.reason().name()), e.getMessage());
    }
  }

  @Override
  public void connectivity(Transport transport, DeviceId device, ConnectivityEvent event, String sessionId) {
    connectivity.add(new Connectivity(transport, device, event, sessionId));
  }

  List<ConnectivityEvent> eventsOf(String deviceId) {
    return connectivity.stream().filter(c -> c.device().value().equals(deviceId)).map(Connectivity::event).toList();
  }
}
