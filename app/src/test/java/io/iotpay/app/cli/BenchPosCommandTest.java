package io.iotpay.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.app.Main;
import io.iotpay.app.cli.audit.CliRun;
import org.junit.jupiter.api.Test;

/**
 * {@code iotpay bench pos --json} through {@link Main#run} with tiny counts: both suites' phones
 * pay end to end, every payment approved and held by the issuer, bench auth beside it, the tap's
 * APDUs and modelled figures present.
 */
class BenchPosCommandTest {
  @Test
  void tinyRun_json_bothSuites_everyPaymentApprovedAndHeld_authBesideIt() throws Exception {
    CliRun run = CliRun.of("bench", "pos", "--phones", "2", "--payments", "6", "--warmup", "2", "--authorisations", "50",
        "--qr-payments", "20", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.path("bench").asText()).isEqualTo("pos");
    JsonNode suites = json.path("suites");
    assertThat(suites).extracting(s -> s.path("suite").asText()).containsExactly("INTERNATIONAL", "NATIONAL");
    for (JsonNode s : suites) {
      assertThat(s.path("approved").asInt()).as(s.toString()).isEqualTo(6);
      assertThat(s.path("failed").asInt()).isZero();
      assertThat(s.path("payments_per_second").asDouble()).isPositive();
      assertThat(s.path("p99_ms").asDouble()).isGreaterThanOrEqualTo(s.path("p50_ms").asDouble());
      assertThat(s.path("attestation_p50_ms").asDouble()).isPositive();
      assertThat(s.path("issuer_held_minor").asLong()).isEqualTo((2 + 6 + 5) * 100L).isEqualTo(s.path("issuer_expected_held_minor").asLong());
      assertThat(s.path("books_balanced").asBoolean()).isTrue();
      assertThat(s.path("acquirer_reversals_pending").asLong()).isZero();
      assertThat(s.path("auth").path("authorisations_per_second").asDouble()).isPositive();
      JsonNode tap = s.path("tap");
      assertThat(tap.path("apdus").asInt()).isBetween(4, 8);
      assertThat(tap.path("card_ms").asDouble()).isPositive();
      assertThat(tap.path("bytes_to_card").asInt()).isPositive();
      assertThat(tap.path("air_ms").asDouble()).isPositive();
      assertThat(tap.path("in_field_ms").asDouble()).isGreaterThan(tap.path("network_rtt_ms_assumed").asDouble());
    }
    for (String qr : new String[] {"qr_cpm_international", "qr_cpm_national"}) {
      JsonNode q = json.path("sections").path(qr);
      assertThat(q.path("approved").asInt()).as(qr + " " + q).isEqualTo(20);
      assertThat(q.path("p99_ms").asDouble()).isGreaterThanOrEqualTo(q.path("p50_ms").asDouble()).isPositive();
      assertThat(q.path("books_balanced").asBoolean()).isTrue();
      assertThat(q.path("held_as_approved").asBoolean()).isTrue();
      assertThat(q.path("through").asText()).isEqualTo("PosSdk.chargeConsumerCode");
      assertThat(q.path("attestation_p50_ms").asDouble()).as("the SDK attested each payment").isPositive();
      assertThat(q.path("se_p50_ms").asDouble()).as("the SE signed each attestation token").isPositive();
    }
  }

  @Test
  void outOfRangeSettings_areRefusedAsBadInput() {
    CliRun run = CliRun.of("bench", "pos", "--phones", "0");
    assertThat(run.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(run.err()).startsWith("iotpay: bench pos: ");
    CliRun tooMany = CliRun.of("bench", "pos", "--qr-payments", "100001");
    assertThat(tooMany.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(tooMany.err()).startsWith("iotpay: bench pos: --qr-payments");
  }
}
