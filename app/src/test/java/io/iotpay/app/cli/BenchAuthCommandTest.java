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
 * {@code iotpay bench auth --json} through {@link Main#run}: short runs, three party processes per
 * suite and the one-JVM form, every authorisation approved, the children gone afterwards.
 */
class BenchAuthCommandTest {
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void threeProcesses_json_everyAuthorisationApproved_perProcessCpu_childrenStopped(AlgorithmSuite suite)
      throws Exception {
    CliRun run = CliRun.of("bench", "auth", "--suite", suite.name(), "--authorisations", "300", "--warmup", "30",
        "--cards", "8", "--connections", "2", "--in-flight", "32", "--reference-ops", "100", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.path("suite").asText()).isEqualTo(suite.name());
    assertThat(json.path("processes").asInt()).isEqualTo(4);
    assertThat(json.path("approved").asInt()).isEqualTo(300);
    assertThat(json.path("failed").asInt()).isZero();
    assertThat(json.path("books_balanced").asBoolean()).isTrue();
    assertThat(json.path("held_minor").asLong()).isEqualTo(330 * 100L);
    JsonNode cpu = json.path("cpu_ms_per_authorisation_by_process");
    for (String process : new String[] {"load generator", "acquirer", "switch", "issuer"}) {
      assertThat(cpu.path(process).asDouble()).as(process).isPositive();
    }
    assertThat(run.err()).contains("started: issuer pid", "stopping the parties");
    assertThat(ProcessHandle.current().descendants().filter(p -> p.info().commandLine().orElse("")
        .contains("io.iotpay.app.Main party"))).as("no party process left").isEmpty();
  }

  @Test
  void inProcess_json_everyAuthorisationApproved_booksBalanced() throws Exception {
    CliRun run = CliRun.of("bench", "auth", "--in-process", "--suite", "NATIONAL", "--authorisations", "200", "--warmup",
        "20", "--cards", "8", "--connections", "1", "--in-flight", "16", "--reference-ops", "100", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.path("suite").asText()).isEqualTo("NATIONAL");
    assertThat(json.path("approved").asInt()).isEqualTo(200);
    assertThat(json.path("failed").asInt()).isZero();
    assertThat(json.path("books_balanced").asBoolean()).isTrue();
    assertThat(json.path("held_minor").asLong()).isEqualTo(220 * 100L);
    assertThat(json.path("authorisations_per_s").asDouble()).isPositive();
    assertThat(json.path("reference_arqc_verify_arpc_per_s_one_core").asDouble()).isPositive();
    assertThat(json.has("p99_ms") && json.has("ratio_to_reference") && json.has("cpu_ms_per_authorisation_all_parties"))
        .isTrue();
    assertThat(run.err()).contains("iotpay bench auth: NATIONAL, 200 authorisations");
    assertThat(json.path("processes").asInt()).isEqualTo(1);
  }

  @Test
  void outOfRangeSettings_areRefusedAsBadInput() {
    CliRun run = CliRun.of("bench", "auth", "--connections", "0");
    assertThat(run.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(run.err()).startsWith("iotpay: bench auth: ");
  }
}
