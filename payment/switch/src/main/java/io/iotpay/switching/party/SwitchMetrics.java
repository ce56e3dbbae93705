package io.iotpay.switching.party;

import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.metrics.AuthorisationMetrics;
import io.iotpay.protocol.metrics.PartyMetrics;
import io.iotpay.protocol.online.PresentmentResult;
import io.iotpay.switching.online.OnlineClearing;
import io.iotpay.switching.online.OnlineSwitch;
import io.micrometer.core.instrument.Counter;
import java.util.List;
import java.util.function.Consumer;

/** The switch process's metrics (docs/metrics.md), served by its HTTP listener ({@link SwitchHttp}). */
final class SwitchMetrics {
  /** Counter: answers the switch gave in an issuer's place. */
  static final String STAND_IN = "iotpay.switch.stand.in";
  /** Counter: issuer answers that came after stand-in had answered (logged and reconciled, not relayed). */
  static final String ISSUER_LATE = "iotpay.switch.issuer.late";
  /** Gauge: stand-in advices queued for issuers and not yet acknowledged. */
  static final String ADVICES_PENDING = "iotpay.switch.advices.pending";

  private final PartyMetrics metrics;
  private final Consumer<List<PresentmentResult>> clearing;

  private SwitchMetrics(PartyMetrics metrics, Consumer<List<PresentmentResult>> clearing) {
    this.metrics = metrics;
    this.clearing = clearing;
  }

  /** Wires {@code online}'s answers into a new registry. */
  static SwitchMetrics start(String id, OnlineSwitch online, List<PartyId> issuers) {
    PartyMetrics metrics = new PartyMetrics("switch", id);
    Counter standIns = metrics.counter(STAND_IN, "answers the switch gave in an issuer's place");
    AuthorisationMetrics authorisations = metrics.authorisations();
    Counter lateAnswers = metrics.counter(ISSUER_LATE, "issuer answers that came after stand-in had answered");
    online.metrics((request, response, answeredBy, elapsedNs) -> {
      if (answeredBy.equals("issuer_late")) { // the acquirer had its answer already: not counted again
        lateAnswers.increment();
        return;
      }
      authorisations.answered(request, response, answeredBy, elapsedNs);
      if (answeredBy.equals("stand_in")) {
        standIns.increment();
      }
    });
    metrics.gauge(ADVICES_PENDING, "stand-in advices queued for issuers, not yet acknowledged",
        () -> issuers.stream().mapToLong(online::pendingAdvices).sum());
    Consumer<List<PresentmentResult>> clearing = metrics.clearing();
    return new SwitchMetrics(metrics, clearing);
  }

  /** Counts a presentment file's results, once: a file taken now (a replay was counted when first taken). */
  void cleared(OnlineClearing.Intake intake) {
    if (intake.taken()) {
      clearing.accept(intake.results());
    }
  }

  /** The registry in Prometheus text. */
  String scrape() {
    return metrics.scrape();
  }
}
