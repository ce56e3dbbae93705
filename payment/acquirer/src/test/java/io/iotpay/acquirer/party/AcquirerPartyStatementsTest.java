package io.iotpay.acquirer.party;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.party.LinkKeys;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The acquirer party wires its host into the registry's HTTP API: the merchant of {@link AcquirerParty#init}
 * gets its day (200, not 503) with the token its registration answers (the figures: MerchantDayTest).
 */
class AcquirerPartyStatementsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void thePartysApi_servesTheMerchantsDay(AlgorithmSuite suite) throws Exception {
    SecureRandom random = new SecureRandom();
    InetSocketAddress nowhere = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
    Path data = dir.resolve("acq");
    AcquirerParty.init(data, new AcquirerParty.Setup("ACQ1", suite, "48020000", "ACQ00001", nowhere,
        LinkKeys.generate(suite, random), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        LinkKeys.generate(suite, random), CurrencyUnit.CNY, 1, 150, 2_000, null, null), random);
    try (AcquirerParty party = AcquirerParty.start(data, AcquirerParty.Options.none())) {
      String base = "http://127.0.0.1:" + party.registryPort();
      String registration = "{\"request_id\":\"party-init-ACQ1\",\"legal_name\":\"Noodle Stall\","
          + "\"business_licence_number\":\"91310000MA1K000001\",\"owner_id_number\":\"110105194912310021\","
          + "\"mcc\":\"5812\",\"address\":\"1 Road\","
          + "\"settlement_account\":{\"bank_id\":\"10200000\",\"account_number\":\"6222000011112222\"}}";
      HttpResponse<String> registered = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/pos/merchants"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(registration)).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
      String token = JSON.readTree(registered.body()).get("merchant_token").asText();
      String date = LocalDate.now(ZoneOffset.UTC).toString();

      HttpResponse<String> day = get(base + "/v1/pos/merchant/day?date=" + date, token);
      assertThat(day.statusCode()).as(day.body()).isEqualTo(200);
      JsonNode body = JSON.readTree(day.body());
      assertThat(body.get("currency").asText()).isEqualTo("CNY");
      assertThat(body.get("mdr_basis_points").asInt()).isEqualTo(150);
      assertThat(body.get("purchases").get("count").asLong()).isZero();
      HttpResponse<String> csv = get(base + "/v1/pos/merchant/transactions.csv?date=" + date, token);
      assertThat(csv.statusCode()).isEqualTo(200);
      assertThat(csv.body()).startsWith("time,terminal,stan,").endsWith("net_minor\r\n");
      assertThat(csv.headers().firstValue("X-Row-Count")).contains("0");
    }
  }

  private static HttpResponse<String> get(String uri, String token) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer " + token).GET().build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }
}
