package io.iotpay.platform.access.mqtt;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import io.iotpay.platform.inbox.DeviceInbox;
import io.iotpay.protocol.device.RefusalReason;
import io.iotpay.platform.inbox.Reply;
import io.iotpay.platform.inbox.Transport;
import io.iotpay.platform.identity.DeviceId;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded broker's short way to the platform: a device's PUBLISH on its own up topic is handed
 * to the inbox inside the broker and not routed to any subscriber; the reply is published on the
 * device's down topic (or refusal topic) from the broker itself; only then is the device's PUBLISH
 * acknowledged, so a crash before the reply means the device sends the same bytes again — which the
 * envelope's counter answers with the stored reply. Saves the bridge's two hops through the broker.
 * Runs after the guard's publish authorisation, which has already refused other devices' topics.
 */
final class InBrokerDelivery implements PublishInboundInterceptor {
  private static final Logger LOG = LoggerFactory.getLogger(InBrokerDelivery.class);
  /** Longest wait for the platform's reply before the PUBLISH is refused (the device retries). */
  private static final Duration REPLY_WAIT_MAX = Duration.ofSeconds(60);

  private final DeviceInbox inbox;
  private final DeviceId device;
  private final String session;
  private final int envelopeBytesMax;

  InBrokerDelivery(DeviceInbox inbox, DeviceId device, String session, int envelopeBytesMax) {
    this.inbox = inbox;
    this.device = device;
    this.session = session;
    this.envelopeBytesMax = envelopeBytesMax;
  }

  @Override
  public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
    String topic = input.getPublishPacket().getTopic();
    Optional<DeviceId> topicDevice = MqttTopics.deviceOfUpTopic(topic);
    if (topicDevice.isEmpty() || !topicDevice.get().equals(device)) {
      return; // status and other own topics are routed as usual; others' topics were refused by the guard
    }
    ByteBuffer payload = input.getPublishPacket().getPayload().orElse(ByteBuffer.allocate(0));
    byte[] envelope = new byte[payload.remaining()];
    payload.duplicate().get(envelope);
    Async<PublishInboundOutput> async = output.async(REPLY_WAIT_MAX, TimeoutFallback.FAILURE, AckReasonCode.UNSPECIFIED_ERROR);
    CompletableFuture<Reply> reply;
    if (envelope.length > envelopeBytesMax) {
      inbox.refusedAtDoor(Transport.MQTT, device, RefusalReason.OVERSIZED, envelope.length + " bytes, at most " + envelopeBytesMax);
      reply = CompletableFuture.completedFuture(new Reply.Refused(RefusalReason.OVERSIZED, "oversized"));
    } else {
      try {
        reply = inbox.deliverAsync(Transport.MQTT, device, session, envelope);
      } catch (RuntimeException e) {
        LOG.error("Device inbox failed [device={}]", device, e);
        reply = CompletableFuture.completedFuture(new Reply.Refused(RefusalReason.UNAVAILABLE, "inbox failed"));
      }
    }
    reply.exceptionally(failure -> new Reply.Refused(RefusalReason.UNAVAILABLE, "inbox failed"))
        .thenCompose(answer -> publish(answer, envelope))
        .whenComplete((done, failure) -> {
          if (failure == null) {
            // Consumed here: no subscriber (nor the bridge, if one runs) sees the device's envelope.
            output.preventPublishDelivery(AckReasonCode.SUCCESS);
          } else {
            LOG.warn("MQTT reply not published; the device's PUBLISH is refused so it sends again [device={}]", device, failure);
            output.preventPublishDelivery(AckReasonCode.UNSPECIFIED_ERROR);
          }
          async.resume();
        });
  }

  private CompletableFuture<Void> publish(Reply reply, byte[] envelope) {
    String topic;
    byte[] bytes;
    switch (reply) {
      case Reply.Answer answer -> {
        topic = MqttTopics.down(device);
        bytes = answer.signedAnswer();
      }
      case Reply.Refused refused -> {
        topic = MqttTopics.refused(device);
        bytes = MqttPlatformBridge.refusalLine(refused.reason(), envelope);
      }
    }
    return Services.publishService().publish(Builders.publish().topic(topic).qos(Qos.AT_LEAST_ONCE).payload(ByteBuffer.wrap(bytes)).build());
  }
}
