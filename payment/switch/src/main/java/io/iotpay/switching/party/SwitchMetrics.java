package io.iotpay.switching.party;

import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.metrics.AuthorisationMetrics;
import io.iotpay.protocol.metrics.MetricsListener;
import io.iotpay.protocol.metrics.PartyMetrics;
import io.iotpay.protocol.online.PresentmentResult;
import io.iotpay.switching.online.OnlineClearing;
import io.iotpay.switching.online.OnlineSwitch;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;

/** The switch process's metrics (docs/metrics.md) and their listener. */
final class SwitchMetrics implements AutoCloseable {
  /** Counter: answers the switch gave in an issuer's place. */
  static final String STAND_IN = "iotpay.switch.stand.in";
  /** Counter: issuer answers that came after stand-in had answered (logged and reconciled, not relayed). */
  static final String ISSUER_LATE = "iotpay.switch.issuer.late";
  /** Gauge: stand-in advices queued for issuers and not yet acknowledged. */
  static final String ADVICES_PENDING = "iotpay.switch.advices.pending";

  private final MetricsListener listener;
  private final Consumer<List<PresentmentResult>> clearing;

  private SwitchMetrics(MetricsListener listener, Consumer<List<PresentmentResult>> clearing) {
    this.listener = listener;
    this.clearing = clearing;
  }

  /**
   * Wires {@code online}'s answers into a new registry and serves it on a free port of
   * {@code near}'s host.
   */
  static SwitchMetrics start(String id, OnlineSwitch online, List<PartyId> issuers, InetSocketAddress near)
      throws IOException {
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
    return new SwitchMetrics(MetricsListener.start(new InetSocketAddress(near.getHostString(), 0), metrics::scrape),
        clearing);
  }

  /** Counts a presentment file's results, once: a file taken now (a replay was counted when first taken). */
  void cleared(OnlineClearing.Intake intake) {
    if (intake.taken()) {
      clearing.accept(intake.results());
    }
  }

  int port() {
    return listener.port();
  }

  @Override
  public void close() {
    listener.close();
  }
}
