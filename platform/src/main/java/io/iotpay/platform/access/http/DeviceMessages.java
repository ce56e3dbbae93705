package io.iotpay.platform.access.http;

import io.iotpay.platform.inbox.DeviceInbox;
import io.iotpay.protocol.device.RefusalReason;
import io.iotpay.platform.inbox.Reply;
import io.iotpay.platform.inbox.Transport;
import io.iotpay.platform.identity.DeviceId;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Objects;

/**
 * {@code POST /v1/devices/{id}/messages}: a cloud-connected device's envelope in, the platform's
 * signed answer out. The body is the COSE envelope as is; the envelope's own signature and counter
 * authenticate it (docs/envelope.md), and the inbox refuses an envelope signed by a device other than
 * the one in the path ({@code CHANNEL_MISMATCH}).
 */
public final class DeviceMessages {
  /** The media type of envelopes and answers (RFC 9052 §11.2 registers application/cose). */
  public static final String COSE = "application/cose";

  private final DeviceInbox inbox;
  private final int envelopeBytesMax;

  /** @param envelopeBytesMax the largest envelope body read, bytes */
  public DeviceMessages(DeviceInbox inbox, int envelopeBytesMax) {
    this.inbox = Objects.requireNonNull(inbox, "inbox");
    this.envelopeBytesMax = envelopeBytesMax;
  }

  public void register(Javalin app) {
    app.post("/v1/devices/{id}/messages", this::deliver);
  }

  private void deliver(Context ctx) {
    DeviceId device;
    try {
      device = Exchange.deviceId(ctx.pathParam("id"));
    } catch (ApiException e) {
      throw new ApiException(400, RefusalReason.MALFORMED.name(), e.detail());
    }
    byte[] envelope;
    try {
      envelope = Exchange.body(ctx, envelopeBytesMax, RefusalReason.OVERSIZED.name());
    } catch (ApiException e) {
      inbox.refusedAtDoor(Transport.HTTP, device, RefusalReason.OVERSIZED, e.detail());
      throw e;
    }
    // The TCP connection is the session: a keep-alive client stays on one; a clone has its own.
    String session = ctx.req().getRemoteAddr() + ":" + ctx.req().getRemotePort();
    switch (inbox.deliver(Transport.HTTP, device, session, envelope)) {
      case Reply.Answer answer -> {
        ctx.header("Iotpay-Duplicate", Boolean.toString(answer.duplicate()));
        ctx.status(200).contentType(COSE).result(answer.signedAnswer());
      }
      case Reply.Refused refused -> throw new ApiException(RefusalStatus.of(refused.reason()), refused.reason().name(), refused.detail());
    }
  }
}
