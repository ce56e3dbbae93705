package io.iotpay.app.party;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.acquirer.party.AcquirerParty;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.issuer.party.IssuerParty;
import io.iotpay.protocol.party.PartyInbox;
import io.iotpay.switching.party.SwitchParty;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The three card parties in this JVM over loopback TCP, scraped over HTTP at {@code GET /metrics}
 * before and after a few authorisations: each counter moves by exactly what was done
 * (docs/metrics.md).
 */
class PartyMetricsTest {
  static final String AUTHORISATIONS = "iotpay_authorisations_total";
  static final String LATENCY_COUNT = "iotpay_authorisation_latency_seconds_count";
  static final String LATENCY_INF_BUCKET = "iotpay_authorisation_latency_seconds_bucket";
  static final String STAND_IN = "iotpay_switch_stand_in_total";
  static final String REVERSALS_PENDING = "iotpay_acquirer_reversals_pending";
  static final String ADVICES_PENDING = "iotpay_switch_advices_pending";
  static final String BATCH_ENTRIES_SUM = "iotpay_ledger_batch_entries_sum";
  static final String BATCH_ENTRIES_COUNT = "iotpay_ledger_batch_entries_count";
  static final String COMMIT_COUNT = "iotpay_ledger_commit_latency_seconds_count";
  static final String CHECKPOINT_LAG = "iotpay_audit_checkpoint_lag_leaves";
  static final String CLEARING_RECORDS = "iotpay_clearing_records_total";
  static final String CLEARING_AMOUNT = "iotpay_clearing_amount_minor_total";

  /** The dashboard, from the app module's directory (where Maven runs the tests). */
  static final Path DASHBOARD = Path.of("..", "docs", "grafana", "iotpay-parties.json");
  static final Pattern METRIC_NAME = Pattern.compile("\\biotpay_[a-z0-9_]+");

  @TempDir Path dir;

  /** One issuer of the suite, the switch, one acquirer; stand-in after 300 ms. */
  static SchemeSetup.Written scheme(Path dir, AlgorithmSuite suite) throws Exception {
    return SchemeSetup.init(dir.resolve("scheme"), new SchemeSetup.Options(1, 1, 4, List.of(suite), 0, 100_000, 50_000,
        100_000, 10_000_000, 300, 5_000, 1_000, 1, null), new SecureRandom());
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void authorisationsMoveEachPartysCountersByExactlyWhatWasDone(AlgorithmSuite suite) throws Exception {
    SchemeSetup.Written scheme = scheme(dir, suite);
    List<HarnessCard> cards = SchemeSetup.cards(scheme.cardsFile().getParent());
    IssuerParty issuer = IssuerParty.start(scheme.issuerDirs().get(0), IssuerParty.Options.none());
    boolean issuerRunning = true;
    try (SwitchParty switching = SwitchParty.start(scheme.switchDir(), new SwitchParty.Options(null, null, Map.of()));
        AcquirerParty acquirer = AcquirerParty.start(scheme.acquirerDirs().get(0), AcquirerParty.Options.none());
        TestTerminal terminal = new TestTerminal(SchemeSetup.terminalLink(scheme.acquirerDirs().get(0)))) {
      List<Integer> ports = List.of(acquirer.registryPort(), switching.metricsPort(), issuer.metricsPort());
      Map<Integer, MetricsScrape> before = new HashMap<>();
      for (int port : ports) {
        before.put(port, MetricsScrape.of(port));
      }

      assertThat(terminal.tap(cards.get(0), 100).approved()).isTrue();
      assertThat(terminal.tap(cards.get(1), 250).approved()).isTrue();
      TestTerminal.Tap refused = terminal.tap(cards.get(2), 200_000); // above the 100,000 balance
      assertThat(refused.response().responseCode().code()).isEqualTo("51");

      for (int port : ports) {
        MetricsScrape after = MetricsScrape.of(port);
        assertThat(moved(before.get(port), after, AUTHORISATIONS, "mti=\"0100\"", "code=\"00\"")).as("approved, port %d", port)
            .isEqualTo(2);
        assertThat(moved(before.get(port), after, AUTHORISATIONS, "mti=\"0100\"", "code=\"51\"")).as("refused 51, port %d", port)
            .isEqualTo(1);
        assertThat(moved(before.get(port), after, LATENCY_COUNT, "mti=\"0100\"")).as("latencies, port %d", port).isEqualTo(3);
        assertThat(moved(before.get(port), after, LATENCY_INF_BUCKET, "mti=\"0100\"", "le=\"+Inf\"")).isEqualTo(3);
      }
      for (int port : List.of(acquirer.registryPort(), issuer.metricsPort())) {
        MetricsScrape after = MetricsScrape.of(port);
        double batches = moved(before.get(port), after, BATCH_ENTRIES_COUNT);
        assertThat(batches).as("ledger batches, port %d", port).isPositive();
        assertThat(moved(before.get(port), after, COMMIT_COUNT)).as("one commit timed per batch").isEqualTo(batches);
        assertThat(after.names()).contains(CHECKPOINT_LAG);
        assertThat(after.value(CHECKPOINT_LAG)).isNotNegative();
      }
      // Each approval holds the amount on the issuer's ledger: at least one entry each (a batch that
      // creates accounts only, as the acquirer's may, writes none).
      assertThat(moved(before.get(issuer.metricsPort()), MetricsScrape.of(issuer.metricsPort()), BATCH_ENTRIES_SUM))
          .isGreaterThanOrEqualTo(2);
      clearAcquirersDay(scheme, switching);
      MetricsScrape switchMiddle = MetricsScrape.of(switching.metricsPort());
      assertThat(moved(before.get(switching.metricsPort()), switchMiddle, CLEARING_RECORDS, "outcome=\"ACCEPTED\""))
          .as("the two approved purchases presented").isEqualTo(2);
      assertThat(moved(before.get(switching.metricsPort()), switchMiddle, CLEARING_RECORDS)).isEqualTo(2);
      assertThat(moved(before.get(switching.metricsPort()), switchMiddle, CLEARING_AMOUNT, "outcome=\"ACCEPTED\""))
          .isEqualTo(100 + 250);
      assertThat(switchMiddle.value(AUTHORISATIONS, "answered_by=\"issuer\"", "code=\"00\"")).isEqualTo(2);
      assertThat(switchMiddle.value(STAND_IN)).isZero();
      assertThat(switchMiddle.value(ADVICES_PENDING)).isZero();
      MetricsScrape acquirerMiddle = MetricsScrape.of(acquirer.registryPort());
      assertThat(acquirerMiddle.value(REVERSALS_PENDING, "party=\"ACQ1\"")).isEqualTo(acquirer.host().reversalsPending());

      issuer.close();
      issuerRunning = false; // the switch now answers in the issuer's place, within its stand-in limits
      TestTerminal.Tap stoodIn = terminal.tap(cards.get(3), 100);
      String code = stoodIn.response().responseCode().code();
      MetricsScrape switchAfter = MetricsScrape.of(switching.metricsPort());
      assertThat(switchAfter.value(STAND_IN) - switchMiddle.value(STAND_IN)).isEqualTo(1);
      assertThat(moved(switchMiddle, switchAfter, AUTHORISATIONS, "answered_by=\"stand_in\"", "code=\"" + code + "\""))
          .isEqualTo(1);
      assertThat(moved(acquirerMiddle, MetricsScrape.of(acquirer.registryPort()), AUTHORISATIONS,
          "code=\"" + code + "\"")).isEqualTo(1);
    } finally {
      if (issuerRunning) {
        issuer.close();
      }
    }
  }

  @Test
  void everyNameTheGrafanaDashboardQueriesIsOneAScrapeExposes() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    Set<String> queried = new TreeSet<>();
    for (JsonNode target : dashboard.findValues("targets")) {
      target.forEach(query -> {
        Matcher names = METRIC_NAME.matcher(query.get("expr").asText());
        while (names.find()) {
          queried.add(names.group());
        }
      });
    }
    assertThat(queried).as("names the dashboard queries").hasSizeGreaterThan(8);
    SchemeSetup.Written scheme = scheme(dir, AlgorithmSuite.INTERNATIONAL);
    Set<String> exposed = new TreeSet<>();
    try (IssuerParty issuer = IssuerParty.start(scheme.issuerDirs().get(0), IssuerParty.Options.none());
        SwitchParty switching = SwitchParty.start(scheme.switchDir(), new SwitchParty.Options(null, null, Map.of()));
        AcquirerParty acquirer = AcquirerParty.start(scheme.acquirerDirs().get(0), AcquirerParty.Options.none());
        TestTerminal terminal = new TestTerminal(SchemeSetup.terminalLink(scheme.acquirerDirs().get(0)))) {
      // One authorisation: counters with a response-code label exist from their first answer.
      assertThat(terminal.tap(SchemeSetup.cards(scheme.cardsFile().getParent()).get(0), 100).approved()).isTrue();
      for (int port : List.of(acquirer.registryPort(), switching.metricsPort(), issuer.metricsPort())) {
        exposed.addAll(MetricsScrape.of(port).names());
      }
    }
    assertThat(exposed).containsAll(queried);
  }

  /** The acquirer's day end; its presentment file carried to the switch and taken there. */
  private static void clearAcquirersDay(SchemeSetup.Written scheme, SwitchParty switching) throws Exception {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    Path acquirerDir = scheme.acquirerDirs().get(0);
    PartyInbox.writeDayEnd(acquirerDir, today);
    Path file = SchemeProcessesTest.awaitFile(PartyInbox.out(acquirerDir).resolve("presentment-ACQ1-" + today + "-1.txt"));
    Path switchIn = PartyInbox.in(scheme.switchDir());
    SchemeProcessesTest.carrySigned(file, switchIn, file.getFileName().toString());
    SchemeProcessesTest.await(() -> Files.exists(switchIn.resolve(PartyInbox.DONE).resolve(file.getFileName())),
        "the switch took the acquirer's file");
  }

  private static double moved(MetricsScrape before, MetricsScrape after, String name, String... labels) {
    return after.value(name, labels) - before.value(name, labels);
  }
}
