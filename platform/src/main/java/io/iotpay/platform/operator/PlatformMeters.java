package io.iotpay.platform.operator;

import io.iotpay.platform.decision.DecisionStats;
import io.iotpay.platform.decision.PaymentDecisionService;
import io.iotpay.platform.inbox.DeviceInbox;
import io.iotpay.platform.inbox.DoorConnects;
import io.iotpay.platform.inbox.Transport;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * The node's own series in {@code /metrics} beside the HTTP timers and the door refusals: payment
 * decisions by outcome ({@code iotpay_platform_decisions_total{outcome}}) and connections the doors
 * accepted ({@code iotpay_door_connects_total{door}}). Both are read from the services' own counters at
 * each scrape, so they never disagree with what the console's live page shows. Every series exists
 * from start, at 0.
 */
final class PlatformMeters {
  private PlatformMeters() {}

  /** The decision outcomes, each with where its count is kept: the label set is fixed. */
  private enum Outcome {
    APPROVED(DecisionStats::approved),
    DECLINED(DecisionStats::declined),
    ASK_USER(DecisionStats::confirmationsRequested);

    private final ToLongFunction<DecisionStats> count;

    Outcome(ToLongFunction<DecisionStats> count) {
      this.count = count;
    }
  }

  static void register(MeterRegistry metrics, PaymentDecisionService decisions, DeviceInbox inbox) {
    for (Outcome outcome : Outcome.values()) {
      FunctionCounter.builder("iotpay.platform.decisions", decisions, service -> outcome.count.applyAsLong(service.stats()))
          .description("Payment decisions recorded by outcome (each decision version once; ASK_USER is a request for the user's approval)")
          .tag("outcome", outcome.name())
          .register(metrics);
    }
    inbox.doorConnects().ifPresent(connects -> {
      for (Transport door : DoorConnects.DOORS) {
        FunctionCounter.builder("iotpay.door.connects", connects, c -> c.count(door))
            .description("Connections the doors accepted: MQTT CONNECTs let in, DTLS handshakes completed")
            .tag("door", door.name().toLowerCase(Locale.ROOT))
            .register(metrics);
      }
    });
  }
}
