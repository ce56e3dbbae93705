package io.iotpay.platform.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.platform.operator.HttpApiFixture.Response;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The operator's directory over HTTP: users get a token once (stored as its digest; a new one ends
 * the old one), accounts are opened, funded once per deposit id and given a holder, merchants are
 * listed; every refusal is the error shape and changes nothing; a device's registration answer
 * carries its PSK. Both suites (the device enrolled is of the suite).
 */
class DirectoryEndpointsTest {
  @TempDir Path tempDir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void usersTokensAccountsAndDeposits(AlgorithmSuite suite) throws Exception {
    try (HttpApiFixture f = new HttpApiFixture(suite, tempDir)) {
      String op = f.operatorToken;
      Response carol = f.call("POST", "/v1/users", op, "{\"user_id\":\"carol\"}");
      assertThat(carol.status()).isEqualTo(201);
      String token = carol.json().path("token").asText();
      assertThat(f.call("POST", "/v1/users", op, "{\"user_id\":\"carol\"}").json().path("error").asText()).isEqualTo("USER_EXISTS");
      assertThat(f.call("POST", "/v1/users", op, "{\"user_id\":\"ca rol\"}").status()).isEqualTo(400);
      assertThat(f.call("POST", "/v1/users", token, "{\"user_id\":\"dave\"}").status()).as("a user's token on an operator action")
          .isEqualTo(403);
      assertThat(f.call("GET", "/v1/users?limit=0", op, null).status()).isEqualTo(400);
      assertThat(f.call("GET", "/v1/users", op, null).json().path("users").get(0).has("token")).as("listing never shows tokens")
          .isFalse();

      // Her account: opened (again: the same answer), funded once per deposit id, not creatable twice differently.
      String open = "{\"account_id\":7001,\"currency\":\"CNY\",\"owner\":\"carol\"}";
      assertThat(f.call("POST", "/v1/accounts", op, open).status()).isEqualTo(201);
      assertThat(f.call("POST", "/v1/accounts", op, open).status()).isEqualTo(200);
      assertThat(f.call("POST", "/v1/accounts", op, "{\"account_id\":7001,\"currency\":\"EUR\",\"owner\":\"carol\"}").json()
          .path("error").asText()).isEqualTo("ACCOUNT_EXISTS");
      assertThat(f.call("POST", "/v1/accounts", op, "{\"account_id\":7002,\"currency\":\"CNY\",\"owner\":\"nobody\"}").json()
          .path("error").asText()).isEqualTo("UNKNOWN_USER");
      assertThat(f.call("GET", "/v1/accounts/7002", op, null).status()).as("nothing made by the refusal").isEqualTo(404);
      assertThat(f.call("POST", "/v1/accounts", op, "{\"account_id\":0,\"currency\":\"CNY\"}").status()).isEqualTo(400);
      assertThat(f.call("POST", "/v1/accounts", op, "{\"account_id\":7003,\"currency\":\"XYZW\"}").status()).isEqualTo(400);
      String deposit = "{\"deposit_id\":\"d-1\",\"amount_minor\":2500}";
      assertThat(f.call("POST", "/v1/accounts/7001/deposits", op, deposit).status()).isEqualTo(200);
      assertThat(f.call("POST", "/v1/accounts/7001/deposits", op, deposit).status()).as("a retry").isEqualTo(200);
      assertThat(f.call("POST", "/v1/accounts/7001/deposits", op, "{\"deposit_id\":\"d-1\",\"amount_minor\":9}").status()).isEqualTo(409);
      assertThat(f.call("POST", "/v1/accounts/7001/deposits", op, "{\"deposit_id\":\"d-2\",\"amount_minor\":-5}").status()).isEqualTo(400);
      assertThat(f.call("POST", "/v1/accounts/7001/deposits", op, "{\"deposit_id\":\"d 2\",\"amount_minor\":5}").status()).isEqualTo(400);
      JsonNode account = f.call("GET", "/v1/accounts/7001", op, null).json();
      assertThat(account.path("available_minor").asLong()).as("deposited once").isEqualTo(2500);
      assertThat(account.path("owner").asText()).isEqualTo("carol");

      // Carol may bind a device to her account with her issued token; a new token ends the old one.
      f.enrol("meter-9");
      String bind = "{\"device_id\":\"meter-9\",\"account_id\":7001,\"terms\":{\"currency\":\"CNY\",\"per_payment_max_minor\":100,"
          + "\"per_day_max_minor\":1000,\"per_month_max_minor\":10000,\"confirmation_threshold_minor\":50,\"allowed_merchants\":[],"
          + "\"allowed_categories\":[\"5399\"]}}";
      assertThat(f.call("POST", "/v1/mandates", HttpApiFixture.ALICE_TOKEN, bind).status()).as("not Alice's account").isEqualTo(403);
      Response reissued = f.call("POST", "/v1/users/carol/token", op, "");
      assertThat(reissued.status()).isEqualTo(200);
      assertThat(f.call("POST", "/v1/mandates", token, bind).status()).as("the old token").isEqualTo(401);
      assertThat(f.call("POST", "/v1/mandates", reissued.json().path("token").asText(), bind).status()).isEqualTo(201);
      assertThat(f.call("POST", "/v1/users/nobody/token", op, "").status()).isEqualTo(404);

      // The account changes hands: Carol no longer holds it.
      assertThat(f.call("POST", "/v1/accounts/7001/owner", op, "{\"owner\":null}").json().path("owner").isNull()).isTrue();
      assertThat(f.holders.holds("carol", 7001)).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void merchantsListed_andTheDevicesPskInItsRegistrationAnswer(AlgorithmSuite suite) throws Exception {
    try (HttpApiFixture f = new HttpApiFixture(suite, tempDir)) {
      String op = f.operatorToken;
      for (String id : new String[] {"shop-b", "shop-a", "shop-c"}) {
        assertThat(f.call("POST", "/v1/merchants", op, HttpErrorContractTest.merchantJson(id, "Shop " + id)).status()).isEqualTo(200);
      }
      JsonNode page = f.call("GET", "/v1/merchants?limit=2", op, null).json();
      assertThat(page.path("merchants").findValuesAsText("merchant_id")).containsExactly("shop-a", "shop-b");
      assertThat(f.call("GET", "/v1/merchants?after=" + page.path("next_after").asText(), op, null).json().path("merchants")
          .findValuesAsText("merchant_id")).containsExactly("shop-c");
      assertThat(f.call("GET", "/v1/merchants/shop-z", op, null).json().path("error").asText()).isEqualTo("UNKNOWN_MERCHANT");
      assertThat(f.enrol("valve-1").registration().path("coap_psk").path("key").asText()).isEqualTo("psk-of-valve-1");
    }
  }
}
