package io.iotpay.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.app.Main;
import io.iotpay.app.cli.audit.CliRun;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code iotpay bench switch} through {@link Main#run}, both suites: a short run where every request
 * is answered with its own STAN, every relayed pair logged and cleared; bounds refused.
 */
class BenchSwitchCommandTest {
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void shortRun_json_everyRequestAnsweredLoggedCleared_ratiosPresent(AlgorithmSuite suite) throws Exception {
    CliRun run = CliRun.of("bench", "switch", "--suite", suite.name(), "--requests", "400", "--in-flight", "32",
        "--runs", "1", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.path("suite").asText()).isEqualTo(suite.name());
    for (String count : new String[] {"echoed", "link_answered", "relay_approved", "logged", "presentments_accepted"}) {
      assertThat(json.path(count).asLong()).as(count).isEqualTo(400);
    }
    assertThat(json.path("consistent").asBoolean()).isTrue();
    for (String rate : new String[] {"reference_raw_echo_per_s", "link_per_s", "ratio_link_to_raw_echo", "relay_per_s",
        "ratio_relay_to_link", "clearing_intake_per_s", "ratio_clearing_to_parse", "issuer_file_per_s"}) {
      assertThat(json.path(rate).asDouble()).as(rate).isPositive();
    }
    assertThat(json.path("frame_bytes").asInt()).isGreaterThan(100);
    assertThat(run.err()).contains("iotpay bench switch: " + suite.name() + ", 400 requests", "run 1/1");
  }

  @Test
  void report_namesEachReference() {
    CliRun run = CliRun.of("bench", "switch", "--requests", "50", "--in-flight", "8", "--runs", "1");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("reference: raw loopback echo", "ratio to raw echo", "ratio to the link",
        "ratio to the parse", "-> CONSISTENT");
  }

  @Test
  void outOfRangeSettings_areRefusedAsBadInput() {
    CliRun run = CliRun.of("bench", "switch", "--requests", "1000000");
    assertThat(run.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(run.err()).startsWith("iotpay: bench switch: ");
    assertThat(CliRun.of("bench", "switch", "--in-flight", "0").exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(CliRun.of("bench", "switch", "--suite", "ROT13").exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
  }
}
