package io.iotpay.platform.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.platform.access.http.DeviceMessages;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.identity.DeviceStatus;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The console's device pages over plain HTTP, both suites, on real parts ({@link ConsoleFixture}): a
 * device's mandates and its refusals by reason; the clone verdicts (clear, confirm) as the HTTP API's
 * audited operation; bulk registration from a CSV of CSRs, row by row, audited, CSRF-protected and
 * bounded; users' tokens logging in read-only; decisions by outcome in {@code /metrics}.
 */
class ConsoleDevicePagesTest {
  private static final String PAGE = "/console/devices/" + ConsoleFixture.DEVICE;

  @TempDir Path tempDir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void devicePage_showsItsMandate_withLimitsAndUsage_andItsRefusalsByReason(AlgorithmSuite suite) throws Exception {
    try (ConsoleFixture f = new ConsoleFixture(suite, tempDir)) {
      for (int i = 0; i < 2; i++) {
        HttpApiFixture.Response refused = f.api.call("POST", "/v1/devices/" + ConsoleFixture.DEVICE + "/messages", null,
            DeviceMessages.COSE, new byte[] {1, 2, (byte) i});
        assertThat(refused.error()).isEqualTo("MALFORMED");
      }
      String html = loggedIn(f, f.api.operatorToken).get(PAGE).body();
      String mandates = section(html, "device-mandates");
      // The fixture's mandate (docs: 100.00 per payment, 1000.00 a day, 10000.00 a month, ask above 30.00),
      // and one approved payment of 25.00 today (counter 7; counter 8 was declined by alice).
      assertThat(mandates).contains("mandate-1", "alice", Long.toString(HttpApiFixture.ALICE_ACCOUNT), "ACTIVE", "100.00 CNY", "1000.00 CNY",
          "10000.00 CNY", "30.00 CNY", "shop-1", "5399");
      assertThat(cells(mandates)).containsSubsequence("25.00 CNY", "25.00 CNY");
      assertThat(cells(section(html, "device-refusals-by-reason"))).containsSubsequence("MALFORMED", "2");
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void cloneVerdicts_fromTheDevicePage_areTheApisAuditedVerdicts(AlgorithmSuite suite) throws Exception {
    try (ConsoleFixture f = new ConsoleFixture(suite, tempDir)) {
      ConsoleFixture.Client operator = loggedIn(f, f.api.operatorToken);
      String csrf = ConsoleFixture.Client.csrfOf(operator.get(PAGE).body());
      assertThat(operator.post(PAGE + "/clone", "csrf=" + csrf + "&action=clear&reason=fine").statusCode()).as("nothing to clear")
          .isEqualTo(409);
      f.flagAsCloned(100);
      String page = operator.get(PAGE).body();
      assertThat(page).contains("id=\"clone-form\"").contains("http:198.51.100.7").contains("http:203.0.113.9");
      long auditSize = f.api.platform.auditLog.size();

      assertThat(operator.post(PAGE + "/clone", "action=clear&reason=fine").statusCode()).as("no CSRF token").isEqualTo(403);
      assertThat(operator.post(PAGE + "/clone", "csrf=" + csrf + "&action=clear&reason=").statusCode()).isEqualTo(400);
      assertThat(operator.post(PAGE + "/clone", "csrf=" + csrf + "&action=forgive&reason=x").statusCode()).isEqualTo(400);
      assertThat(f.api.platform.auditLog.size()).isEqualTo(auditSize);
      assertThat(evidence(f)).isNotNull();

      HttpResponse<String> cleared = operator.post(PAGE + "/clone", "csrf=" + csrf + "&action=clear&reason=checked+with+the+owner");
      assertThat(cleared.statusCode()).isEqualTo(303);
      assertThat(evidence(f)).isNull();
      assertThat(f.api.platform.auditLog.size()).isEqualTo(auditSize + 1);
      assertThat(f.lastAuditLeaf()).contains("\"action\":\"clone-cleared\"", "\"device_id\":\"car-2\"", "\"reason\":\"checked with the owner\"",
          "interleaved places");
      assertThat(operator.get(PAGE).body()).doesNotContain("id=\"clone-form\"");
      assertThat(status(f)).isEqualTo(DeviceStatus.ACTIVE);

      f.flagAsCloned(200);
      assertThat(operator.post(PAGE + "/clone", "csrf=" + csrf + "&action=confirm&reason=two+cars+seen").statusCode()).isEqualTo(303);
      assertThat(status(f)).isEqualTo(DeviceStatus.REVOKED);
      assertThat(f.api.registry.find(DeviceId.of(ConsoleFixture.DEVICE)).orElseThrow().statusReason())
          .startsWith("clone confirmed: two cars seen (evidence: ");
      assertThat(f.lastAuditLeaf()).contains("\"action\":\"clone-confirmed\"", "\"reason\":\"two cars seen\"");
      assertThat(f.api.platform.auditLog.size()).isEqualTo(auditSize + 2);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void bulkRegistration_registersEveryGoodRow_refusesEachBadOneWithItsReason_andAuditsTheUpload(AlgorithmSuite suite) throws Exception {
    try (ConsoleFixture f = new ConsoleFixture(suite, tempDir)) {
      String other = suite == AlgorithmSuite.INTERNATIONAL ? "NATIONAL" : "INTERNATIONAL";
      String csv = "device_id,suite,csr\n"
          + ConsoleFixture.csvRow("meter-1", suite.name(), ConsoleFixture.csrPem(suite, "meter-1"))
          + ConsoleFixture.csvRow("meter-2", suite.name(), ConsoleFixture.csrPem(suite, "meter-9"))
          + ConsoleFixture.csvRow("meter-3", "MARTIAN", ConsoleFixture.csrPem(suite, "meter-3"))
          + ConsoleFixture.csvRow("meter-4", other, ConsoleFixture.csrPem(suite, "meter-4"))
          + ConsoleFixture.csvRow(ConsoleFixture.DEVICE, suite.name(), ConsoleFixture.csrPem(suite, ConsoleFixture.DEVICE))
          + "meter-5," + suite.name() + ",not base64!\n"
          + "meter 6," + suite.name() + ",AAAA\n"
          + "meter-7," + suite.name() + "\n"
          + ConsoleFixture.csvRow("meter-8", suite.name().toLowerCase(java.util.Locale.ROOT), ConsoleFixture.csrPem(suite, "meter-8"));
      ConsoleFixture.Client operator = loggedIn(f, f.api.operatorToken);
      String csrf = ConsoleFixture.Client.csrfOf(operator.get("/console/devices").body());
      long auditSize = f.api.platform.auditLog.size();

      HttpResponse<String> done = operator.postFile("/console/devices/bulk", Map.of("csrf", csrf), "csv", csv.getBytes(StandardCharsets.UTF_8));
      assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
      assertThat(done.body()).contains("2 registered, 7 refused.");
      Map<String, String> results = results(done.body());
      assertThat(results).containsExactlyInAnyOrderEntriesOf(Map.of("meter-1", "registered", "meter-2", "CSR_INVALID", "meter-3", "BAD_SUITE",
          "meter-4", "CSR_INVALID", ConsoleFixture.DEVICE, "ALREADY_REGISTERED", "meter-5", "BAD_CSR_ENCODING", "meter 6", "BAD_DEVICE_ID",
          "meter-7", "BAD_ROW", "meter-8", "registered"));
      // Registered rows are in the registry; refused rows left nothing (meter-9 is the id the mismatched CSR named).
      for (String id : List.of("meter-1", "meter-8")) {
        assertThat(f.api.registry.find(DeviceId.of(id))).as(id).hasValueSatisfying(d -> assertThat(d.status()).isEqualTo(DeviceStatus.ACTIVE));
      }
      for (String id : List.of("meter-2", "meter-9", "meter-3", "meter-4", "meter-5", "meter-7")) {
        assertThat(f.api.registry.find(DeviceId.of(id))).as(id).isEmpty();
      }
      assertThat(f.api.platform.auditLog.size()).isEqualTo(auditSize + 1);
      assertThat(f.lastAuditLeaf()).contains("\"action\":\"devices-registered\"", "\"source\":\"console-csv\"",
          "\"registered\":[\"meter-1\",\"meter-8\"]", "\"device_id\":\"meter-2\",\"reason\":\"CSR_INVALID\"}");
      // A row's line is where it starts in the file: meter-2 follows the header and meter-1's quoted PEM.
      long meter2Line = csv.substring(0, csv.indexOf("\nmeter-2,") + 1).lines().count() + 1;
      assertThat(f.lastAuditLeaf()).contains("{\"line\":" + meter2Line + ",\"device_id\":\"meter-2\"");
      assertThat(done.body()).doesNotContain("PRIVATE KEY").doesNotContain("coap_psk").doesNotContain("BEGIN CERTIFICATE");
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void bulkRegistration_withoutCsrf_tooLarge_tooManyRows_orNotUtf8_isRefusedWhole_andRegistersNothing(AlgorithmSuite suite) throws Exception {
    try (ConsoleFixture f = new ConsoleFixture(suite, tempDir)) {
      byte[] one = ConsoleFixture.csvRow("meter-1", suite.name(), ConsoleFixture.csrPem(suite, "meter-1")).getBytes(StandardCharsets.UTF_8);
      ConsoleFixture.Client operator = loggedIn(f, f.api.operatorToken);
      String csrf = ConsoleFixture.Client.csrfOf(operator.get("/console/devices").body());
      ConsoleFixture.Client other = loggedIn(f, f.api.operatorToken);
      String othersCsrf = ConsoleFixture.Client.csrfOf(other.get("/console/devices").body());
      long auditSize = f.api.platform.auditLog.size();

      assertThat(operator.postFile("/console/devices/bulk", Map.of(), "csv", one).statusCode()).isEqualTo(403);
      assertThat(operator.postFile("/console/devices/bulk", Map.of("csrf", othersCsrf), "csv", one).statusCode()).isEqualTo(403);
      StringBuilder many = new StringBuilder();
      for (int i = 0; i <= 100; i++) {
        many.append("meter-").append(i).append(',').append(suite.name()).append(",AAAA\n");
      }
      HttpResponse<String> tooMany = operator.postFile("/console/devices/bulk", Map.of("csrf", csrf), "csv",
          many.toString().getBytes(StandardCharsets.UTF_8));
      assertThat(tooMany.statusCode()).isEqualTo(413);
      assertThat(tooMany.body()).contains("more than 100 rows").contains("nothing was registered");
      byte[] big = new byte[70 * 1024];
      java.util.Arrays.fill(big, (byte) 'a');
      assertThat(operator.postFile("/console/devices/bulk", Map.of("csrf", csrf), "csv", big).statusCode()).isEqualTo(413);
      byte[] latin1 = ("meter-1,NATIONAL,\u00e9t\u00e9\n").getBytes(StandardCharsets.ISO_8859_1);
      assertThat(operator.postFile("/console/devices/bulk", Map.of("csrf", csrf), "csv", latin1).statusCode()).isEqualTo(400);
      assertThat(operator.postFile("/console/devices/bulk", Map.of("csrf", csrf), "csv", "device_id,suite,csr\n".getBytes(StandardCharsets.UTF_8))
          .statusCode()).isEqualTo(400);
      assertThat(operator.postFile("/console/devices/bulk", Map.of("csrf", csrf), "csv", null).statusCode()).isEqualTo(400);
      assertThat(f.api.registry.find(DeviceId.of("meter-1"))).isEmpty();
      assertThat(f.api.platform.auditLog.size()).as("nothing recorded for a refused file").isEqualTo(auditSize);
      // The same file with its token registers: the refusals above were the token's and the bounds' doing.
      assertThat(operator.postFile("/console/devices/bulk", Map.of("csrf", csrf), "csv", one).body()).contains("1 registered, 0 refused.");
      assertThat(f.api.registry.find(DeviceId.of("meter-1"))).isPresent();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aUsersToken_logsInReadOnly_seesThePages_butEveryFormThatActsIsRefused(AlgorithmSuite suite) throws Exception {
    try (ConsoleFixture f = new ConsoleFixture(suite, tempDir)) {
      ConsoleFixture.Client alice = new ConsoleFixture.Client(f);
      assertThat(alice.login(HttpApiFixture.ALICE_TOKEN).statusCode()).isEqualTo(303);
      for (String page : f.pages()) {
        HttpResponse<String> answer = alice.get(page);
        assertThat(answer.statusCode()).as(page).isEqualTo(200);
        assertThat(answer.body()).as(page).contains("user alice (read-only)").doesNotContain("id=\"status-form\"")
            .doesNotContain("id=\"bulk-form\"").doesNotContain("id=\"verify-form\"");
      }
      f.flagAsCloned(100);
      String csrf = ConsoleFixture.Client.csrfOf(alice.get(PAGE).body());
      assertThat(alice.get(PAGE).body()).doesNotContain("id=\"clone-form\"");
      long auditSize = f.api.platform.auditLog.size();
      for (String[] form : List.of(new String[] {PAGE + "/status", "action=suspend&reason=mine"},
          new String[] {PAGE + "/clone", "action=clear&reason=mine"}, new String[] {"/console/books/verify", ""})) {
        HttpResponse<String> refused = alice.post(form[0], "csrf=" + csrf + "&" + form[1]);
        assertThat(refused.statusCode()).as(form[0]).isEqualTo(403);
        assertThat(refused.body()).contains("may only read");
      }
      assertThat(alice.postFile("/console/devices/bulk", Map.of("csrf", csrf), "csv",
          ConsoleFixture.csvRow("meter-1", suite.name(), ConsoleFixture.csrPem(suite, "meter-1")).getBytes(StandardCharsets.UTF_8))
          .statusCode()).isEqualTo(403);
      assertThat(status(f)).isEqualTo(DeviceStatus.ACTIVE);
      assertThat(evidence(f)).isNotNull();
      assertThat(f.api.registry.find(DeviceId.of("meter-1"))).isEmpty();
      assertThat(f.api.platform.auditLog.size()).isEqualTo(auditSize);
      // Logging out is allowed, and ends the session.
      assertThat(alice.post("/console/logout", "csrf=" + csrf).statusCode()).isEqualTo(303);
      assertThat(alice.get("/console/devices").statusCode()).isEqualTo(303);
      // A user token the operator issued through the API (stored as its digest) logs in the same way; the operator's still acts.
      HttpApiFixture.Response issued = f.api.call("POST", "/v1/users", f.api.operatorToken, "{\"user_id\":\"carol\"}");
      ConsoleFixture.Client carol = new ConsoleFixture.Client(f);
      assertThat(carol.login(issued.json().get("token").asText()).statusCode()).isEqualTo(303);
      assertThat(carol.get("/console/devices").body()).contains("user carol (read-only)");
      ConsoleFixture.Client operator = loggedIn(f, f.api.operatorToken);
      String page = operator.get(PAGE).body();
      assertThat(page).contains("id=\"status-form\"").contains("id=\"clone-form\"").doesNotContain("read-only");
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void metrics_countDecisionsByOutcome_asTheDecisionServiceRecordedThem(AlgorithmSuite suite) throws Exception {
    try (ConsoleFixture f = new ConsoleFixture(suite, tempDir)) {
      // The fixture decided counter 7 (approved) and counter 8 (asked of alice, who declined it).
      assertThat(decisions(f, "APPROVED")).isEqualTo(1);
      assertThat(decisions(f, "ASK_USER")).isEqualTo(1);
      assertThat(decisions(f, "DECLINED")).isEqualTo(1);
      f.decide(9, 1_000);
      f.decide(9, 1_000);
      assertThat(decisions(f, "APPROVED")).as("a repeated intent is no new decision").isEqualTo(2);
      assertThat(decisions(f, "APPROVED")).isEqualTo(f.api.platform.service.stats().approved());
    }
  }

  private static long decisions(ConsoleFixture f, String outcome) throws Exception {
    String scrape = f.api.call("GET", "/metrics", f.api.operatorToken, null).text();
    Matcher m = Pattern.compile("(?m)^iotpay_platform_decisions_total\\{outcome=\"" + outcome + "\"[^}]*} (\\S+)$").matcher(scrape);
    assertThat(m.find()).as(outcome + " in " + scrape).isTrue();
    return (long) Double.parseDouble(m.group(1));
  }

  /** Each result row's device id → "registered" or the refusal's reason code. */
  private static Map<String, String> results(String html) {
    Map<String, String> results = new java.util.HashMap<>();
    Matcher row = Pattern.compile("<tr class=\"(registered|refused)\">(.*?)</tr>", Pattern.DOTALL).matcher(section(html, "bulk-results"));
    while (row.find()) {
      List<String> cells = cells(row.group(2));
      results.put(cells.get(1), row.group(1).equals("registered") ? "registered" : cells.get(4));
    }
    return results;
  }

  /** The HTML of the table with this id. */
  private static String section(String html, String tableId) {
    int start = html.indexOf("id=\"" + tableId + "\"");
    assertThat(start).as(tableId).isNotNegative();
    return html.substring(start, html.indexOf("</table>", start));
  }

  /** The text of every cell, tags stripped. */
  private static List<String> cells(String html) {
    List<String> cells = new java.util.ArrayList<>();
    Matcher cell = Pattern.compile("<td[^>]*>(.*?)</td>", Pattern.DOTALL).matcher(html);
    while (cell.find()) {
      cells.add(cell.group(1).replaceAll("<[^>]+>", "").strip());
    }
    return cells;
  }

  private static ConsoleFixture.Client loggedIn(ConsoleFixture f, String token) throws Exception {
    ConsoleFixture.Client client = new ConsoleFixture.Client(f);
    assertThat(client.login(token).statusCode()).isEqualTo(303);
    return client;
  }

  private static String evidence(ConsoleFixture f) {
    return f.api.platform.states.state(DeviceId.of(ConsoleFixture.DEVICE)).orElseThrow().cloneSuspicion();
  }

  private static DeviceStatus status(ConsoleFixture f) {
    return f.api.registry.find(DeviceId.of(ConsoleFixture.DEVICE)).orElseThrow().status();
  }
}
