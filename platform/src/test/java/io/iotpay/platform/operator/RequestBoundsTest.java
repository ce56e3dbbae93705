package io.iotpay.platform.operator;

import static io.iotpay.platform.operator.HttpApiFixture.ALICE_ACCOUNT;
import static io.iotpay.platform.operator.HttpApiFixture.ALICE_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.operator.HttpApiFixture.Response;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Oversized and malformed bodies are refused with a typed error and change nothing. */
class RequestBoundsTest {
  @TempDir Path tempDir;

  private static final String VALID_TERMS = "{\"currency\":\"CNY\",\"per_payment_max_minor\":100,\"per_day_max_minor\":1000,"
      + "\"per_month_max_minor\":10000,\"confirmation_threshold_minor\":50,\"allowed_merchants\":[],\"allowed_categories\":[\"5399\"]}";

  private static String bind(String terms) {
    return "{\"device_id\":\"meter-1\",\"account_id\":" + ALICE_ACCOUNT + ",\"terms\":" + terms + "}";
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void oversizedJson_isRefused413_declaredOrChunked_andNothingIsBound(AlgorithmSuite suite) throws Exception {
    try (HttpApiFixture f = new HttpApiFixture(suite, tempDir)) {
      f.enrol("meter-1");
      String padding = " ".repeat(HttpApiConfig.JSON_BYTES_MAX_DEFAULT);
      Response declared = f.call("POST", "/v1/mandates", ALICE_TOKEN, bind(VALID_TERMS) + padding);
      assertThat(declared.status()).isEqualTo(413);
      assertThat(declared.error()).isEqualTo("TOO_LARGE");

      byte[] body = (bind(VALID_TERMS) + padding).getBytes(StandardCharsets.UTF_8);
      // An InputStream publisher has no length: the body goes chunked, with no Content-Length to refuse early.
      HttpRequest chunked = HttpRequest.newBuilder(f.base.resolve("/v1/mandates")).timeout(Duration.ofSeconds(30))
          .header("Authorization", "Bearer " + ALICE_TOKEN).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
      HttpResponse<String> response = f.http.send(chunked, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(413);
      assertThat(response.body()).contains("\"error\":\"TOO_LARGE\"");
      assertThat(f.platform.mandates.liveMandateOf(DeviceId.of("meter-1"))).isEmpty();

      assertThat(f.call("POST", "/v1/mandates", ALICE_TOKEN, bind(VALID_TERMS)).status()).isEqualTo(201);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void malformedJson_isRefused400_andNothingIsBound(AlgorithmSuite suite) throws Exception {
    try (HttpApiFixture f = new HttpApiFixture(suite, tempDir)) {
      f.enrol("meter-1");
      String valid = bind(VALID_TERMS);
      String[] bad = {
          "", "null", "[]", "{", valid.substring(0, valid.length() - 1), valid + "{}", valid + " x",
          valid.replace("\"account_id\":" + ALICE_ACCOUNT, "\"account_id\":\"" + ALICE_ACCOUNT + "\""),
          valid.replace("\"account_id\":" + ALICE_ACCOUNT, "\"account_id\":" + ALICE_ACCOUNT + ".5"),
          valid.replace("\"account_id\":" + ALICE_ACCOUNT, "\"account_id\":99999999999999999999999"),
          valid.replace("{\"device_id\"", "{\"unknown\":1,\"device_id\""),
          valid.replace("{\"device_id\"", "{\"device_id\":\"meter-1\",\"device_id\""),
          valid.replace("\"allowed_categories\":[\"5399\"]", "\"allowed_categories\":\"5399\""),
          valid.replace("\"terms\":" + VALID_TERMS, "\"terms\":null"),
          valid.replace("\"device_id\":\"meter-1\",", ""),
          "{\"device_id\":" + "[".repeat(50) + "]".repeat(50) + "}",
          valid.replace("CNY", "XYZ"),
      };
      for (String body : bad) {
        Response response = f.call("POST", "/v1/mandates", ALICE_TOKEN, body);
        assertThat(response.status()).as(body).isEqualTo(400);
        assertThat(response.error()).as(body).isIn("BAD_JSON", "BAD_REQUEST");
        assertThat(response.json().get("detail").asText()).as(body).isNotEmpty();
      }
      assertThat(f.platform.mandates.liveMandateOf(DeviceId.of("meter-1"))).isEmpty();
    }
  }
}
