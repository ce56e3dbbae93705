package io.iotpay.platform.access.mqtt;

import io.iotpay.platform.access.mqtt.ConnectTokenException.Reason;
import io.iotpay.platform.identity.DeviceId;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes a connect token single-use on this broker: a device's token must be issued later than the
 * last one accepted for it. A token sniffed from a plain-TCP CONNECT therefore cannot be replayed
 * once the device has used it. Bounded: entries older than the skew window are useless (such
 * tokens are refused as expired anyway) and are dropped when the map reaches its bound; if it is
 * still full, new devices are refused until entries age out.
 */
final class ConnectTokenGuard {
  private final ConcurrentHashMap<DeviceId, Instant> lastIssuedAt = new ConcurrentHashMap<>();
  private final Duration skewMax;
  private final int entriesMax;

  ConnectTokenGuard(Duration skewMax, int entriesMax) {
    this.skewMax = skewMax;
    this.entriesMax = entriesMax;
  }

  /** @throws ConnectTokenException REPLAYED when {@code issuedAt} is not after the last accepted token's */
  void accept(DeviceId device, Instant issuedAt, Instant now) {
    if (lastIssuedAt.size() >= entriesMax && !lastIssuedAt.containsKey(device)) {
      Instant horizon = now.minus(skewMax).minus(skewMax);
      lastIssuedAt.values().removeIf(at -> at.isBefore(horizon));
      if (lastIssuedAt.size() >= entriesMax) {
        throw new ConnectTokenException(Reason.REPLAYED, "too many recent connects to track (" + entriesMax + "); retry later");
      }
    }
    Instant[] previous = new Instant[1];
    boolean[] accepted = new boolean[1];
    lastIssuedAt.compute(device, (key, old) -> {
      previous[0] = old;
      accepted[0] = old == null || issuedAt.isAfter(old);
      return accepted[0] ? issuedAt : old;
    });
    if (!accepted[0]) {
      throw new ConnectTokenException(Reason.REPLAYED,
          "device " + device + ": token issued at " + issuedAt + " is not after the last accepted one (" + previous[0] + ")");
    }
  }
}
