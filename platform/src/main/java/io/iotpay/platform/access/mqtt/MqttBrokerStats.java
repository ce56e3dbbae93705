package io.iotpay.platform.access.mqtt;

import io.iotpay.platform.access.mqtt.ConnectTokenException.Reason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * A snapshot of what the embedded broker's guard refused and accepted since start.
 *
 * @param connectsAccepted device connects authenticated
 * @param connectsRefused device and bridge connects refused, by reason (absent reasons are 0)
 * @param refusedPublishes PUBLISHes dropped as NOT_AUTHORISED (a topic outside the client's own)
 * @param refusedSubscribes SUBSCRIBEs refused as NOT_AUTHORISED
 */
public record MqttBrokerStats(long connectsAccepted, Map<Reason, Long> connectsRefused, long refusedPublishes, long refusedSubscribes) {
  public MqttBrokerStats {
    connectsRefused = Map.copyOf(connectsRefused);
  }

  /** Connects refused for {@code reason}. */
  public long connectsRefused(Reason reason) {
    return connectsRefused.getOrDefault(reason, 0L);
  }

  /** The live counters the guard increments. */
  static final class Counters {
    final LongAdder connectsAccepted = new LongAdder();
    final LongAdder refusedPublishes = new LongAdder();
    final LongAdder refusedSubscribes = new LongAdder();
    private final Map<Reason, LongAdder> connectsRefused = new EnumMap<>(Reason.class);

    Counters() {
      for (Reason reason : Reason.values()) {
        connectsRefused.put(reason, new LongAdder());
      }
    }

    void connectRefused(Reason reason) {
      connectsRefused.get(reason).increment();
    }

    MqttBrokerStats snapshot() {
      Map<Reason, Long> refused = new EnumMap<>(Reason.class);
      connectsRefused.forEach((reason, count) -> refused.put(reason, count.sum()));
      return new MqttBrokerStats(connectsAccepted.sum(), refused, refusedPublishes.sum(), refusedSubscribes.sum());
    }
  }
}
