package io.iotpay.platform.access.coap;

import io.iotpay.platform.inbox.DeviceInbox;
import io.iotpay.protocol.device.RefusalReason;
import io.iotpay.platform.inbox.Reply;
import io.iotpay.platform.inbox.Transport;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.identity.TopicAuthorisation;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.eclipse.californium.elements.DtlsEndpointContext;
import org.eclipse.californium.elements.EndpointContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST devices/{id}/up}: the device's envelope in, the platform's signed answer out. The
 * resource answers for the whole {@code devices} subtree (its {@link #getChild} returns itself) and
 * reads the full Uri-Path itself, so a request for another device's path is a 4.03 rather than a
 * 4.04, and no per-device resources are created.
 */
final class UplinkResource extends CoapResource {
  private static final Logger LOG = LoggerFactory.getLogger(UplinkResource.class);

  /** CoAP Content-Format of a COSE_Sign1 ("application/cose; cose-type=cose-sign1", RFC 9052 §11). */
  static final int CONTENT_FORMAT_COSE_SIGN1 = 18;
  /**
   * Longest wait for the inbox's reply: well inside CoAP's EXCHANGE_LIFETIME (247 s), and past a
   * device's own give-up time (about 45 s with RFC 7252's defaults) it would be answered in vain anyway.
   */
  static final long INBOX_TIMEOUT_SECONDS = 30;

  private final DeviceInbox inbox;
  private final int envelopeBytesMax;
  /** True when a plain UDP endpoint is configured: its requests' path names the channel's device. */
  private final boolean plainUdpTrusted;

  UplinkResource(DeviceInbox inbox, int envelopeBytesMax, boolean plainUdpTrusted) {
    super(DeviceUplinkPath.ROOT);
    this.inbox = inbox;
    this.envelopeBytesMax = envelopeBytesMax;
    this.plainUdpTrusted = plainUdpTrusted;
  }

  @Override
  public Resource getChild(String name) {
    return this;
  }

  @Override
  public void handlePOST(CoapExchange exchange) {
    List<String> path = exchange.getRequestOptions().getUriPath();
    Optional<DeviceId> pathDevice = DeviceUplinkPath.deviceOf(path);
    if (pathDevice.isEmpty()) {
      exchange.respond(ResponseCode.NOT_FOUND, "no such resource");
      return;
    }
    Optional<DeviceId> channel = channelDevice(exchange.advanced().getRequest().getSourceContext(), pathDevice.get());
    if (channel.isEmpty() || !channel.get().equals(pathDevice.get()) || !TopicAuthorisation.mayAccessResource(channel.get(), path)) {
      // Logged once: by the security log when the channel names a device, here otherwise.
      channel.ifPresentOrElse(device -> inbox.refusedAtDoor(Transport.COAP, device, RefusalReason.NOT_AUTHORISED,
          "request on the resource of device " + pathDevice.get()),
          () -> LOG.warn("CoAP uplink refused: path of another device [channel=-, path={}]", pathDevice.get()));
      exchange.respond(RefusalCodes.of(RefusalReason.NOT_AUTHORISED), RefusalReason.NOT_AUTHORISED.name());
      return;
    }
    byte[] body = exchange.getRequestPayload();
    if (body != null && body.length > envelopeBytesMax) {
      inbox.refusedAtDoor(Transport.COAP, channel.get(), RefusalReason.OVERSIZED, body.length + " bytes, at most " + envelopeBytesMax);
      exchange.respond(ResponseCode.REQUEST_ENTITY_TOO_LARGE, RefusalReason.OVERSIZED.name());
      return;
    }
    String session = ChannelIdentity.sessionId(exchange.advanced().getRequest().getSourceContext());
    deliver(channel.get(), session, body == null ? new byte[0] : body)
        .whenComplete((reply, failure) -> respond(exchange, failure == null ? reply : unavailable(channel.get(), failure)));
  }

  /**
   * The inbox's reply, without holding a Californium thread while the platform batches: the CoAP
   * response goes out when it completes (the exchange stays deduplicated meanwhile). Bounded by
   * {@link #INBOX_TIMEOUT_SECONDS}; an inbox that throws or times out becomes UNAVAILABLE (the device retries).
   */
  private CompletableFuture<Reply> deliver(DeviceId device, String session, byte[] body) {
    try {
      return inbox.deliverAsync(Transport.COAP, device, session, body).orTimeout(INBOX_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static Reply unavailable(DeviceId device, Throwable failure) {
    LOG.error("Inbox failed on a CoAP uplink [device={}, error={}]", device, failure.toString());
    return new Reply.Refused(RefusalReason.UNAVAILABLE, "inbox failed");
  }

  /**
   * The DTLS peer's device; on the plain UDP endpoint (only there is the context not DTLS) the path's
   * device when plain UDP is configured, since a DTLS-terminating proxy in front has authenticated it.
   */
  private Optional<DeviceId> channelDevice(EndpointContext context, DeviceId pathDevice) {
    if (context instanceof DtlsEndpointContext) {
      return ChannelIdentity.deviceOf(context.getPeerIdentity());
    }
    return plainUdpTrusted ? Optional.of(pathDevice) : Optional.empty();
  }

  private static void respond(CoapExchange exchange, Reply reply) {
    switch (reply) {
      case Reply.Answer answer -> exchange.respond(ResponseCode.CHANGED, answer.signedAnswer(), CONTENT_FORMAT_COSE_SIGN1);
      case Reply.Refused refused -> exchange.respond(RefusalCodes.of(refused.reason()), refused.reason().name(),
          MediaTypeRegistry.TEXT_PLAIN);
    }
  }
}
