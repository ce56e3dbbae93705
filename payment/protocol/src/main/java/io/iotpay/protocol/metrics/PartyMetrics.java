package io.iotpay.protocol.metrics;

import io.iotpay.foundation.Assert;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.online.PresentmentResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One party process's metrics (Micrometer, Prometheus text), every series tagged with the party's
 * {@code role} and {@code party} id. The names are listed in docs/metrics.md and queried by
 * docs/grafana/iotpay-parties.json; change them together.
 */
public final class PartyMetrics {
  /** Counter: card answers by {@code mti}, {@code code} (ISO 8583 field 39) and {@code answered_by}. */
  public static final String AUTHORISATIONS = "iotpay.authorisations";
  /** Timer with histogram buckets: request arrival to answer, by {@code mti}. */
  public static final String AUTHORISATION_LATENCY = "iotpay.authorisation.latency";

  /** Counter: presentments cleared, by {@code outcome} ({@link PresentmentResult.Status}). */
  public static final String CLEARING_RECORDS = "iotpay.clearing.records";
  /** Counter: the presentments' amounts in minor units, by {@code outcome}; ACCEPTED is what goes to settlement. */
  public static final String CLEARING_AMOUNT = "iotpay.clearing.amount.minor";

  /**
   * Bucket bounds of the latency histogram: from a loopback issuer's few milliseconds to the
   * switch's stand-in timer (2 s by default) and the acquirer's link timeout beyond it.
   */
  private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5)};

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /**
   * @param role {@code issuer}, {@code switch} or {@code acquirer}
   * @param party the party's id, e.g. {@code ISS1}
   */
  public PartyMetrics(String role, String party) {
    registry.config().commonTags(Tags.of("role", Assert.notNull(role, "role"), "party", Assert.notNull(party, "party")));
  }

  /** Counts and times every card answer reported to it (other messages are ignored). */
  public AuthorisationMetrics authorisations() {
    return authorisations(registry);
  }

  /**
   * Counts and times every card answer reported to it in {@code registry}, under the same names as a
   * party's ({@link #AUTHORISATIONS}, {@link #AUTHORISATION_LATENCY}): {@code iotpay serve}'s node reports
   * its issuer host's answers to its own registry this way.
   */
  public static AuthorisationMetrics authorisations(MeterRegistry registry) {
    return (request, response, answeredBy, elapsedNs) -> {
      if (!(response instanceof CardResponse card)) {
        return;
      }
      String mti = request.mti().code();
      registry.counter(AUTHORISATIONS, "mti", mti, "code", card.responseCode().code(), "answered_by", answeredBy)
          .increment();
      Timer.builder(AUTHORISATION_LATENCY).tag("mti", mti).serviceLevelObjectives(LATENCY_BUCKETS).register(registry)
          .record(elapsedNs, TimeUnit.NANOSECONDS);
    };
  }

  /**
   * Counts cleared presentments and their amounts by outcome; every outcome's series is registered
   * now at 0, so a dashboard sees them before the first file.
   */
  public Consumer<List<PresentmentResult>> clearing() {
    for (PresentmentResult.Status status : PresentmentResult.Status.values()) {
      registry.counter(CLEARING_RECORDS, "outcome", status.name());
      registry.counter(CLEARING_AMOUNT, "outcome", status.name());
    }
    return results -> results.forEach(result -> {
      registry.counter(CLEARING_RECORDS, "outcome", result.status().name()).increment();
      registry.counter(CLEARING_AMOUNT, "outcome", result.status().name()).increment(result.amountMinor());
    });
  }

  /** A counter registered now, so it is scraped as 0 before its first event. */
  public Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  /** A gauge read from {@code value} at each scrape (which may query a database). */
  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  /** The registry itself, for meters bound elsewhere (the ledger's, {@code LedgerMeters}). */
  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }
}
