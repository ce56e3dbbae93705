package io.iotpay.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.app.Main;
import io.iotpay.app.cli.audit.CliRun;
import org.junit.jupiter.api.Test;

/** {@code iotpay bench auth --json} through {@link Main#run}: a short NATIONAL run, every authorisation approved. */
class BenchAuthCommandTest {
  @Test
  void shortRun_json_everyAuthorisationApproved_booksBalanced() throws Exception {
    CliRun run = CliRun.of("bench", "auth", "--suite", "NATIONAL", "--authorisations", "200", "--warmup", "20",
        "--cards", "8", "--connections", "1", "--in-flight", "16", "--reference-ops", "100", "--json");
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
  }

  @Test
  void outOfRangeSettings_areRefusedAsBadInput() {
    CliRun run = CliRun.of("bench", "auth", "--connections", "0");
    assertThat(run.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(run.err()).startsWith("iotpay: bench auth: ");
  }
}
