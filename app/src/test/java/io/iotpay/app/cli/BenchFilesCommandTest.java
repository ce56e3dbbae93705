package io.iotpay.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.app.Main;
import io.iotpay.app.cli.audit.CliRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code iotpay bench files} through {@link Main#run}: a tiny file, its checks, and bounds refused. */
class BenchFilesCommandTest {
  @TempDir Path dir;

  @Test
  void tinyRun_json_everyRecordDecodedAcceptedSettled_ratiosPresent() throws Exception {
    CliRun run = CliRun.of("bench", "files", "--records", "1500", "--runs", "2", "--dir", dir.toString(), "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.path("records").asInt()).isEqualTo(1500);
    assertThat(json.path("runs").asInt()).isEqualTo(2);
    assertThat(json.path("decoded").asLong()).isEqualTo(1500);
    assertThat(json.path("accepted").asLong()).isEqualTo(1500);
    assertThat(json.path("settled").asLong()).isEqualTo(1500);
    assertThat(json.path("books_balanced").asBoolean()).isTrue();
    assertThat(json.path("consistent").asBoolean()).isTrue();
    for (String rate : new String[] {"reference_raw_read_records_per_s", "decode_records_per_s",
        "switch_intake_records_per_s", "write_intake_settlement_records_per_s", "ratio_to_reference"}) {
      assertThat(json.path(rate).asDouble()).as(rate).isPositive();
    }
    assertThat(run.err()).contains("iotpay bench files: 1500 records, 2 run(s)", "run 2/2");
    assertThat(dir.resolve("run-2").resolve("offline.txt")).exists();
  }

  @Test
  void report_namesTheReferenceAndTheChecks() {
    CliRun run = CliRun.of("bench", "files", "--records", "300", "--runs", "1", "--dir", dir.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("reference: raw read", "ratio to reference", "switch intake", "-> CONSISTENT");
  }

  @Test
  void outOfRangeSettings_areRefusedAsBadInput_beforeAnyWork() {
    CliRun run = CliRun.of("bench", "files", "--records", "0", "--dir", dir.toString());
    assertThat(run.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(run.err()).startsWith("iotpay: bench files: ");
    assertThat(CliRun.of("bench", "files", "--runs", "21", "--dir", dir.toString()).exitCode())
        .isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(dir).isEmptyDirectory();
  }
}
