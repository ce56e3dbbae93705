package io.iotpay.app.iot;

import io.iotpay.agent.transport.DeviceTransport;
import io.iotpay.agent.transport.TransportException;
import io.iotpay.platform.inbox.DeviceInbox;
import io.iotpay.platform.inbox.Reply;
import io.iotpay.platform.inbox.Transport;
import io.iotpay.platform.identity.DeviceId;
import java.util.concurrent.CompletableFuture;

/**
 * A device wired straight to the platform's inbox, for runs without a network (the inbox, the
 * envelope and every check behind it are the same as over MQTT, CoAP or HTTP). The channel is the
 * device this transport was opened for, as an authenticated topic or URI would be.
 */
public final class InProcessTransport implements DeviceTransport {
  private final DeviceInbox inbox;
  private final Transport as;
  private final DeviceId channel;
  private final String session;

  public InProcessTransport(DeviceInbox inbox, Transport as, DeviceId channel, String session) {
    this.inbox = inbox;
    this.as = as;
    this.channel = channel;
    this.session = session;
  }

  @Override
  public CompletableFuture<byte[]> send(byte[] envelope) {
    Reply reply = inbox.deliver(as, channel, session, envelope);
    return switch (reply) {
      case Reply.Answer answer -> CompletableFuture.completedFuture(answer.signedAnswer());
      case Reply.Refused refused -> CompletableFuture.failedFuture(
          new TransportException(refused.reason().name(), false, refused.detail()));
    };
  }

  @Override
  public void close() {}
}
