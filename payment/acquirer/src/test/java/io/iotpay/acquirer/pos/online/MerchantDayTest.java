package io.iotpay.acquirer.pos.online;

import static io.iotpay.acquirer.pos.online.OnlineWorld.TODAY;
import static io.iotpay.acquirer.pos.online.OnlineWorld.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.acquirer.pos.merchant.MerchantId;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.protocol.iso8583.AuthorisationRequest;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.FinancialRequest;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.LinkSettings;
import io.iotpay.protocol.iso8583.ResponseCode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The merchant's day through the acquirer's HTTP API (the registry's {@code PosHttpApi} serving the
 * host's {@link MerchantStatements}), on real approvals over TCP, both suites: the figures before
 * and after day end and payout, the CSV parsed back and summed equals the JSON, another merchant's
 * token sees only its own day, no full PAN in either answer, the ledger balances.
 */
class MerchantDayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void theMerchantsDay_jsonAndCsv_agree_beforeAndAfterPayout_onSqlite(AlgorithmSuite suite) throws Exception {
    try (OnlineWorld w = OnlineWorld.onSqlite(suite, dir)) {
      theMerchantsDay(w);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void theMerchantsDay_jsonAndCsv_agree_beforeAndAfterPayout_onPostgres(AlgorithmSuite suite) throws Exception {
    try (OnlineWorld w = OnlineWorld.onPostgres(suite, dir)) {
      theMerchantsDay(w);
    }
  }

  private static void theMerchantsDay(OnlineWorld w) throws Exception {
    w.registry.serveStatements(w.host.statements());
    // The same registration again answers with the world's merchant and its token.
    String token = register(w, "req-online-1", "Noodle Stall", "91310000MA1K000001", "110105194912310021");
    String date = TODAY.toString();
    assertThat(get(w, "/v1/pos/merchant/day?date=" + date, token).body().get("purchases").get("count").asLong())
        .as("nothing yet").isZero();

    // Two approvals (1,000 and 333), a decline, an approval the terminal reverses, a refund of 300.
    CardTransaction first = w.purchase(w.nextStan(), 1_000, 1, false);
    assertThat(w.send(new AuthorisationRequest(first)).responseCode()).isEqualTo(ResponseCode.APPROVED);
    assertThat(w.send(new AuthorisationRequest(w.purchase(w.nextStan(), 500, 2, true))).responseCode().approved())
        .isFalse();
    CardTransaction reversed = w.purchase(w.nextStan(), 700, 3, false);
    assertThat(w.send(new AuthorisationRequest(reversed)).responseCode()).isEqualTo(ResponseCode.APPROVED);
    w.send(AcquirerHostTest.terminalReversal(w, reversed));
    await(() -> w.host.state(reversed.terminalId(), reversed.stan(), reversed.transmittedAt())
        .equals(Optional.of(TransactionState.REVERSED)), "the reversal is acknowledged");
    assertThat(w.send(new FinancialRequest(w.transaction("200000", w.nextStan(), 300, first.rrn(), null)))
        .responseCode()).isEqualTo(ResponseCode.APPROVED);
    assertThat(w.send(new AuthorisationRequest(w.purchase(w.nextStan(), 333, 4, false))).responseCode())
        .isEqualTo(ResponseCode.APPROVED);

    // Another merchant with its own terminal and a purchase of 2,000.
    String otherToken = register(w, "req-online-2", "Tea House", "91310000MA1K000002", "110105195001010017");
    MerchantId other = new MerchantId(get(w, "/v1/pos/merchant", otherToken).body().get("merchant_id").asText());
    sendAs(w, other, 2_000, 5);

    // Before day end: 1,333 approved, 300 refunded, MDR 1.5 % of 1,333 = 19.995 → 20, net 1,013.
    JsonNode before = get(w, "/v1/pos/merchant/day?date=" + date, token).body();
    assertDay(before, false, false);
    Csv csv = csv(w, date, token);
    assertThat(csv.rows).hasSize(5);
    assertSums(csv, before);
    assertThat(csv.column("type")).containsExactly("PURCHASE", "PURCHASE", "PURCHASE", "REFUND", "PURCHASE");
    assertThat(csv.column("state")).containsExactly("APPROVED", "DECLINED", "REVERSED", "REFUND", "APPROVED");
    assertThat(csv.column("fee_minor")).containsExactly("15", "0", "0", "0", "5");
    assertThat(csv.column("net_minor")).containsExactly("985", "0", "0", "-300", "328");

    // The other merchant sees its own purchase only; and the first merchant's figures do not include it.
    JsonNode theirs = get(w, "/v1/pos/merchant/day?date=" + date, otherToken).body();
    assertThat(theirs.get("merchant_id").asText()).isEqualTo(other.value());
    assertThat(theirs.get("purchases").get("amount_minor").asLong()).isEqualTo(2_000);
    assertThat(theirs.get("refunds").get("count").asLong()).isZero();
    Csv theirCsv = csv(w, date, otherToken);
    assertThat(theirCsv.column("amount_minor")).containsExactly("2000");
    assertThat(theirCsv.column("terminal")).doesNotContain(w.terminalId);
    assertThat(csv.column("terminal")).containsOnly(w.terminalId);

    // Day end and payout T+1: the same figures, now closed and paid; the ledger agrees.
    w.host.payMerchants(TODAY);
    JsonNode after = get(w, "/v1/pos/merchant/day?date=" + date, token).body();
    assertDay(after, true, true);
    Csv closed = csv(w, date, token);
    assertThat(closed.column("state")).containsExactly("CAPTURED", "DECLINED", "REVERSED", "REFUND", "CAPTURED");
    assertSums(closed, after);
    long account = w.host.merchantAccount(w.merchant).orElseThrow();
    assertThat(w.acquirerAccount(account).creditsPostedMinor() - w.acquirerAccount(account).debitsPostedMinor())
        .isEqualTo(after.get("net_minor").asLong());
    w.assertBooksBalance();

    // Paging: read two rows at a time, the lines are the same.
    List<StatementLine> paged = new ArrayList<>();
    MerchantStatements.Lines twoAtATime = w.host.statements(2).lines(w.merchant, TODAY);
    assertThat(twoAtATime.count()).isEqualTo(5);
    twoAtATime.forEach(paged::add);
    List<StatementLine> whole = new ArrayList<>();
    w.host.statements().lines(w.merchant, TODAY).forEach(whole::add);
    assertThat(paged).hasSize(5).isEqualTo(whole);

    // No full PAN anywhere; the masked one is there.
    String digits = OnlineWorld.PAN.digits();
    for (String body : List.of(before.toString(), after.toString(), csv.raw, closed.raw, theirCsv.raw)) {
      assertThat(body).doesNotContain(digits);
    }
    assertThat(closed.column("pan_masked")).containsOnly(OnlineWorld.PAN.masked());

    // Another day: zeros. Bad dates and no token: refused, with the JSON error of the API.
    JsonNode empty = get(w, "/v1/pos/merchant/day?date=2026-12-06", token).body();
    assertThat(empty.get("purchases").get("count").asLong()).isZero();
    assertThat(empty.get("payout").get("paid").asBoolean()).isFalse();
    assertThat(empty.get("closed").asBoolean()).isFalse();
    assertThat(csv(w, "2026-12-06", token).rows).isEmpty();
    for (String query : List.of("", "?date=", "?date=2026-13-01", "?date=2026-12-7", "?date=2026-02-30",
        "?date=%3D1%2B1")) {
      for (String path : List.of("/v1/pos/merchant/day", "/v1/pos/merchant/transactions.csv")) {
        Answer refused = get(w, path + query, token);
        assertThat(refused.status()).as(path + query).isEqualTo(400);
        assertThat(refused.body().get("error").asText()).isEqualTo("BAD_REQUEST");
      }
    }
    assertThat(get(w, "/v1/pos/merchant/day?date=" + date, null).status()).isEqualTo(401);
    assertThat(get(w, "/v1/pos/merchant/transactions.csv?date=" + date, "mt_forged.token").status())
        .isEqualTo(401);
  }

  private static void assertDay(JsonNode day, boolean closed, boolean paid) {
    assertThat(day.get("currency").asText()).isEqualTo("CNY");
    assertThat(day.get("closed").asBoolean()).isEqualTo(closed);
    assertThat(day.get("purchases").get("count").asLong()).isEqualTo(2);
    assertThat(day.get("purchases").get("amount_minor").asLong()).isEqualTo(1_333);
    assertThat(day.get("refunds").get("count").asLong()).isEqualTo(1);
    assertThat(day.get("refunds").get("amount_minor").asLong()).isEqualTo(300);
    assertThat(day.get("reversed_count").asLong()).isEqualTo(1);
    assertThat(day.get("declined_count").asLong()).isEqualTo(1);
    assertThat(day.get("pending_count").asLong()).isZero();
    assertThat(day.get("fee_minor").asLong()).isEqualTo(20);
    assertThat(day.get("net_minor").asLong()).isEqualTo(1_013);
    assertThat(day.get("payout").get("date").asText()).isEqualTo("2026-12-08");
    assertThat(day.get("payout").get("paid").asBoolean()).isEqualTo(paid);
  }

  private static void assertSums(Csv csv, JsonNode day) {
    assertThat(csv.sum("fee_minor")).isEqualTo(day.get("fee_minor").asLong());
    assertThat(csv.sum("net_minor")).isEqualTo(day.get("net_minor").asLong());
  }

  /** A purchase from a terminal of {@code merchant}, enrolled for it now, over its own link. */
  private static void sendAs(OnlineWorld w, MerchantId merchant, long amountMinor, int atc) throws Exception {
    String mine = w.terminalId;
    Iso8583Client myLink = w.terminal;
    String theirs = w.registry.service().enrol(merchant, w.suite, w.csr()).terminal().id().value();
    try (Iso8583Client link = new Iso8583Client(OnlineWorld.loopback(w.host.terminalPort()),
        LinkSettings.defaults(OnlineWorld.INSTITUTION, theirs).withRequestTimeoutMs(20_000).withEchoIntervalMs(0),
        w.zoneKeys(3), OnlineWorld.WIRE)) {
      w.terminalId = theirs;
      w.terminal = link;
      assertThat(w.send(new AuthorisationRequest(w.purchase(w.nextStan(), amountMinor, atc, false))).responseCode())
          .isEqualTo(ResponseCode.APPROVED);
    } finally {
      w.terminalId = mine;
      w.terminal = myLink;
    }
  }

  private static String register(OnlineWorld w, String requestId, String name, String licence, String owner) {
    String body = "{\"request_id\":\"" + requestId + "\",\"legal_name\":\"" + name + "\",\"business_licence_number\":\""
        + licence + "\",\"owner_id_number\":\"" + owner + "\",\"mcc\":\"5812\",\"address\":\"1 Road\","
        + "\"settlement_account\":{\"bank_id\":\"10200000\",\"account_number\":\"6222000011112222\"}}";
    HttpRequest request = HttpRequest.newBuilder(uri(w, "/v1/pos/merchants")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    Answer answer = answer(send(request));
    assertThat(answer.status()).as(answer.raw()).isIn(200, 201);
    assertThat(answer.body().get("state").asText()).as(answer.raw()).isEqualTo("ACTIVATED");
    return answer.body().get("merchant_token").asText();
  }

  record Answer(int status, JsonNode body, String raw) {}

  private static Answer get(OnlineWorld w, String path, String token) {
    return answer(send(request(w, path, token)));
  }

  private static Answer answer(HttpResponse<String> response) {
    try {
      return new Answer(response.statusCode(), JSON.readTree(response.body()), response.body());
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }

  /** The CSV export, parsed (RFC 4180: quoted fields, doubled quotes, CRLF). */
  private static Csv csv(OnlineWorld w, String date, String token) {
    HttpResponse<String> response = send(request(w, "/v1/pos/merchant/transactions.csv?date=" + date, token));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("text/csv; charset=utf-8");
    List<List<String>> records = io.iotpay.acquirer.pos.http.CsvRecords.parse(response.body());
    assertThat(records.get(0)).containsExactly("time", "terminal", "stan", "rrn", "pan_masked", "type", "state",
        "amount_minor", "currency", "approval_code", "fee_minor", "net_minor");
    assertThat(response.headers().firstValue("X-Row-Count")).contains(Integer.toString(records.size() - 1));
    return new Csv(records.get(0), records.subList(1, records.size()), response.body());
  }

  record Csv(List<String> header, List<List<String>> rows, String raw) {
    List<String> column(String name) {
      int at = header.indexOf(name);
      return rows.stream().map(r -> r.get(at)).toList();
    }

    long sum(String name) {
      return column(name).stream().mapToLong(Long::parseLong).sum();
    }
  }

  private static HttpRequest request(OnlineWorld w, String path, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(w, path)).timeout(Duration.ofSeconds(30)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return request.build();
  }

  private static URI uri(OnlineWorld w, String path) {
    return URI.create("http://127.0.0.1:" + w.registry.port() + path);
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
