package io.iotpay.switching.party;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.party.PartyKeys;
import io.iotpay.switching.online.SwitchPartyFixture;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The switch process's console and settlement API over HTTP, on a real switch party whose day was
 * presented (SwitchPartyFixture), both suites: every page refused without a session, the API without
 * the operator token, a form without its CSRF token; the close nets the day once (again: the same
 * window), positions sum to zero, later files of the day are refused and logged; no full PAN, token or
 * key of the party in any page's HTML.
 */
class SwitchConsoleTest {
  private static final String DAY = SwitchPartyFixture.DAY.toString();
  private static final List<String> PAGES = List.of("/console/files", "/console/files?direction=sent",
      "/console/settlement", "/console/settlement/" + DAY, "/console/exceptions", "/console/exceptions?date=" + DAY);

  @TempDir java.nio.file.Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void closeNetsTheDayOnce_positionsSumToZero_andNothingIsServedWithoutALoginOrLeaksASecret(AlgorithmSuite suite)
      throws Exception {
    try (SwitchPartyFixture sw = SwitchPartyFixture.start(dir, suite)) {
      sw.presentDay(suite);
      String token = SwitchParty.operatorToken(sw.dataDir);
      ConsoleClient anonymous = new ConsoleClient(sw.base());
      for (String page : PAGES) {
        HttpResponse<String> refused = anonymous.get(page);
        assertThat(refused.statusCode()).as(page).isEqualTo(303);
        assertThat(refused.headers().firstValue("Location")).as(page).contains("/console/login");
      }
      assertThat(anonymous.post("/console/settlement/close", Map.of("date", DAY)).statusCode()).isEqualTo(403);
      assertThat(anonymous.apiClose(DAY, null).statusCode()).isEqualTo(401);
      assertThat(anonymous.apiClose(DAY, token.substring(1) + "0").statusCode()).isEqualTo(401);
      assertThat(anonymous.apiGet(DAY, token).statusCode()).as("nothing was closed").isEqualTo(404);

      ConsoleClient operator = new ConsoleClient(sw.base());
      assertThat(operator.login("not-the-token").statusCode()).isNotEqualTo(303);
      assertThat(operator.login(token).statusCode()).isEqualTo(303);
      assertThat(operator.post("/console/settlement/close", Map.of("date", DAY)).statusCode()).as("no CSRF token").isEqualTo(403);
      assertThat(operator.apiGet(DAY, token).statusCode()).as("still nothing closed").isEqualTo(404);
      String csrf = ConsoleClient.csrfOf(operator.get("/console/settlement").body());
      String tomorrow = SwitchPartyFixture.DAY.plusDays(2).toString();
      assertThat(operator.post("/console/settlement/close", Map.of("csrf", csrf, "date", tomorrow)).statusCode()).isEqualTo(409);
      assertThat(operator.apiClose(tomorrow, token).statusCode()).isEqualTo(409);

      assertThat(operator.get("/console/settlement/2026-13-01").statusCode()).isEqualTo(400);
      assertThat(operator.get("/console/settlement/" + DAY).statusCode()).as("no window yet").isEqualTo(404);
      assertThat(operator.get("/console/files?direction=sideways").statusCode()).isEqualTo(400);
      assertThat(operator.get("/console/files?party=%3Cscript%3E").statusCode()).isEqualTo(400);
      assertThat(operator.get("/console/exceptions?after=nothing").statusCode()).isEqualTo(400);
      assertThat(operator.post("/console/settlement/close", Map.of("csrf", csrf, "date", "yesterday")).statusCode()).isEqualTo(400);
      assertThat(operator.apiClose("2026-02-30", token).statusCode()).isEqualTo(400);
      assertThat(operator.apiGet(DAY, token).statusCode()).as("still nothing closed").isEqualTo(404);
      HttpResponse<String> closed = operator.post("/console/settlement/close", Map.of("csrf", csrf, "date", DAY));
      assertThat(closed.statusCode()).isEqualTo(303);
      assertThat(closed.headers().firstValue("Location")).contains("/console/settlement/" + DAY);
      String window = operator.get("/console/settlement/" + DAY).body();
      // ACQ1 receives 10.00 + 20.00 + 15.00 and pays back the 5.00 refund; ISSA pays 25.00; ISSB pays 20.00, gets 5.00.
      assertThat(window).contains("<th id=\"net-sum\">0.00</th>").contains(">40.00</td>").contains(">-25.00</td>")
          .contains(">-15.00</td>").contains("SETTLED");
      String again = operator.apiClose(DAY, token).body();
      assertThat(again).contains("\"windowId\":\"SW-" + DAY.replace("-", "") + "\"").contains("\"netSumMinor\":0")
          .contains("{\"party\":\"ACQ1\",\"role\":\"acquirer\",\"paysMinor\":500,\"receivesMinor\":4500,\"netMinor\":4000}")
          .contains("\"netMinor\":-2500").contains("\"netMinor\":-1500").contains("\"records\":4");
      assertThat(operator.apiGet(DAY, token).body()).isEqualTo(again);
      String late = sw.presentLate();
      assertThat(operator.get("/console/files").body()).contains(late).contains("REFUSED").contains("DAY_SETTLED: day " + DAY + " is closed");
      assertThat(operator.apiClose(DAY, token).body()).as("the refused file moved nothing").isEqualTo(again);

      List<String> html = new ArrayList<>();
      for (String page : PAGES) {
        HttpResponse<String> shown = operator.get(page);
        assertThat(shown.statusCode()).as(page).isEqualTo(200);
        assertThat(shown.headers().firstValue("Content-Security-Policy")).as(page).isPresent();
        html.add(shown.body());
      }
      html.add(anonymous.get("/console/login").body());
      // signed by: ACQ1 for its file (its signature verified), the switch for what it sent
      assertThat(html.get(0)).contains("presentment-ACQ1-" + DAY + "-1.txt")
          .contains("<td>ACQ1</td><td class=\"status-TAKEN\">TAKEN</td>").doesNotContain("unsigned");
      assertThat(html.get(1)).contains("presentment-ISSA-" + DAY + "-1.txt").contains("presentment-ISSB-" + DAY + "-1.txt")
          .contains("presentment-result-ACQ1-" + DAY + "-1.txt").contains("<td>SWITCH</td><td class=\"status-WRITTEN\">")
          .doesNotContain("unsigned");
      assertThat(html.get(4)).contains("C-CODE").contains("NO_AUTHORISATION").contains("C-RANGE").contains("UNKNOWN_CARD_RANGE")
          .doesNotContain("<td>C1</td>");
      assertNoSecret(html, token, PartyKeys.read(sw.dataDir, suite, null).entries().values());
    }
  }

  private static void assertNoSecret(List<String> pages, String token, java.util.Collection<String> keys) {
    List<String> secrets = new ArrayList<>(List.of(token));
    for (String key : keys) {
      if (key.matches("[0-9A-Fa-f]{16,}")) {
        secrets.add(key.toLowerCase(Locale.ROOT));
        secrets.add(key.toUpperCase(Locale.ROOT));
        secrets.add(java.util.Base64.getEncoder().encodeToString(HexFormat.of().parseHex(key)));
      }
    }
    for (Pan pan : SwitchPartyFixture.PANS) {
      secrets.add(pan.digits());
    }
    for (String page : pages) {
      for (String secret : secrets) {
        assertThat(page).doesNotContain(secret);
      }
    }
  }
}
