package io.iotpay.app.iot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.app.Main;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The IoT demo for several seeds and both audit suites: every attack blocked, books balanced, audit verified. */
class IotDemoTest {
  @TempDir Path tempDir;

  @ParameterizedTest
  @CsvSource({"1, INTERNATIONAL, false", "7, NATIONAL, false", "2026, NATIONAL, true", "11, INTERNATIONAL, true"})
  void anySeed_blocksEveryAttack_balancesTheBooks_andVerifies(long seed, AlgorithmSuite suite, boolean network) throws Exception {
    IotReport report = IotDemo.run(new IotSettings(9, 12, seed, 1.0, 0.3, tempDir, suite, network),
        new PrintStream(new ByteArrayOutputStream()));

    assertThat(report.attacksInjected()).isEqualTo(12);
    assertThat(report.attacksBlocked()).isEqualTo(report.attacksInjected());
    // Publishing on another device's MQTT topic needs the broker: it is injected in network runs only.
    assertThat(report.attacksByKind()).hasSize(IotDemo.Attack.values().length - (network ? 0 : 1));
    assertThat(report.refusals()).containsKeys("UNKNOWN_DEVICE", "DEVICE_REVOKED", "SUITE_MISMATCH", "BAD_SIGNATURE",
        "CHANNEL_MISMATCH", "OVERSIZED", "MALFORMED", "REPLAYED_COUNTER");
    if (network) {
      assertThat(report.refusals()).containsKey("NOT_AUTHORISED");
    }
    // The verdicts are the platform's records: each blocked attack is shown by exactly one of them.
    assertThat(report.blockedByRecord().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(report.attacksBlocked());
    assertThat(report.blockedByRecord()).containsKeys("refusal_log", "clone_flag", "device_registry");
    assertThat(report.attackRefusals()).containsKey("MALFORMED");
    // Every device message was signed on a chip, under the chip's own counter.
    assertThat(report.chips().deviceMessages()).isGreaterThan(report.messages() / 2);
    assertThat(report.chips().signedOnChip()).isEqualTo(report.chips().deviceMessages());
    assertThat(report.paymentsApproved()).isPositive();
    assertThat(report.duplicatesSuppressed()).isPositive();
    assertThat(report.events()).isPositive();
    assertThat(report.booksBalanced()).isTrue();
    assertThat(report.auditVerified()).as(report.auditDetail()).isTrue();
    assertThat(report.ok()).isTrue();
  }

  @Test
  void cli_printsTheIssuesJsonFields() throws Exception {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int status;
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      status = Main.run(new String[] {"demo", "iot", "--devices", "6", "--hours", "4", "--seed", "3", "--json",
          "--data-dir", tempDir.toString()});
    } finally {
      System.setOut(original);
    }
    assertThat(status).isZero();
    @SuppressWarnings("unchecked")
    Map<String, Object> json = new ObjectMapper().readValue(stdout.toString(StandardCharsets.UTF_8).trim(), Map.class);
    assertThat(json).containsKeys("devices", "events", "payments_approved", "payments_declined", "confirmations_requested",
        "duplicates_suppressed", "attacks_injected", "attacks_blocked", "books_balanced", "audit_verified",
        "signed_on_chip", "device_messages", "attacks_blocked_by_record");
    assertThat(json.get("signed_on_chip")).isEqualTo(json.get("device_messages"));
    assertThat(json.get("devices")).isEqualTo(6);
    assertThat(json.get("books_balanced")).isEqualTo(true);
    assertThat(json.get("audit_verified")).isEqualTo(true);
  }
}
