package io.iotpay.platform.inbox;

import io.iotpay.protocol.device.RefusalReason;
import java.time.Instant;

/**
 * A device message the platform refused: who (as the channel claimed), how it came, why, and when.
 *
 * @param channelDevice the device id of the channel it arrived on (topic, URI path, certificate)
 * @param detail one printable line; never key material or payload bytes
 */
public record SecurityEvent(Instant at, Transport transport, String channelDevice, RefusalReason reason, String detail) {}
