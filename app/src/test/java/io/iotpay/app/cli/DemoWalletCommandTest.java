package io.iotpay.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.app.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code iotpay demo wallet} through the CLI (the scenario itself is tested in the demo module:
 * {@code io.iotpay.demo.wallet.WalletScenarioTest}).
 */
class DemoWalletCommandTest {
  @TempDir Path tempDir;

  @Test
  void cli_json_printsTheBriefsFields_andExitsZero() throws Exception {
    CryptoCommandTest.Result result = CryptoCommandTest.run("demo", "wallet", "--cards", "4", "--pos", "1", "--days",
        "1", "--json", "--data-dir", tempDir.toString());

    assertThat(result.exit()).as(result.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(result.out());
    for (String field : new String[] {"purchases_offline", "purchases_split", "online_parts_completed",
        "online_parts_failed", "online_parts_completed_from_linked_account", "online_part_answers_lost", "loads", "lists_published", "outcomes_written_back", "ratings_written",
        "debts_recovered", "wallet_minor_total", "shadow_minor_total", "books_balanced", "audit_verified",
        "conserved", "phone_cards", "phone_pos", "phone_card_purchases", "phone_pos_purchases"}) {
      assertThat(json.has(field)).as(field).isTrue();
    }
    assertThat(json.get("conserved").asBoolean()).isTrue();
    assertThat(json.get("wallet_minor_total").asLong()).isEqualTo(json.get("shadow_minor_total").asLong());
  }

  @Test
  void cli_refusesCardsOutOfRange_withExitTwo_andRunsNothing() {
    CryptoCommandTest.Result result = CryptoCommandTest.run("demo", "wallet", "--cards", "1", "--data-dir",
        tempDir.toString());

    assertThat(result.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(result.err()).contains("--cards must be 2..200");
    assertThat(Files.exists(tempDir.resolve("wallet"))).isFalse();
  }
}
