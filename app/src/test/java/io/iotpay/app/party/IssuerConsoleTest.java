package io.iotpay.app.party;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.console.ConsoleTestClient;
import io.iotpay.console.OpenApiChecks;
import io.iotpay.console.OpenApiChecks.Seen;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.issuer.deposit.DepositAccounts;
import io.swagger.v3.oas.models.OpenAPI;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The issuer process's HTTP listener (issue 19) on a real issuer behind a real switch and acquirer
 * ({@link IssuerConsoleFixture}), both suites, after an approved payment and a decline (51):
 * <ul>
 *   <li>{@code GET /openapi.json} validates as OpenAPI 3.1, documents exactly the routes registered,
 *       and every answer this test provokes has a documented status holding its schema
 *       ({@link OpenApiChecks});
 *   <li>every console page is refused without a session (a redirect to the login, 401 for htmx), the
 *       audit verify form without its CSRF token is refused and runs nothing;
 *   <li>logged in, the books balance and verify, the authorisations list the payment and the decline
 *       with the card masked, search by STAN and card suffix finds them, bad input is a 400;
 *   <li>no page's HTML holds the operator token, a key of the issuer's or a full PAN;
 *   <li>the deposit-account API: without the operator token, with a bad number, body or state it is
 *       refused (401, 400 typed) and nothing changes; an account opened over HTTP (twice: the same
 *       answer) is read back masked; a merchant registering at the acquirer with it passes the penny
 *       test through the switch ({@code issuer.ISS1.institutions} written by {@code party init}) and is
 *       activated, one with an account the issuer does not hold gets the issuer's 14 and waits in review.
 *       No answer holds a full account number.
 * </ul>
 */
class IssuerConsoleTest {
  private static final List<String> PAGES = List.of("/console/books", "/console/books?account=1000",
      "/console/authorisations", "/console/authorisations?card=0000");

  @TempDir Path dir;

  private final List<Seen> seen = new ArrayList<>();
  private final List<String> html = new ArrayList<>();

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void openApi_security_books_authorisations_andNoSecretInAnyPage(AlgorithmSuite suite) throws Exception {
    try (IssuerConsoleFixture f = IssuerConsoleFixture.start(dir, suite, null)) {
      TestTerminal.Tap paid = f.pay(0, 1_234);
      assertThat(paid.approved()).isTrue();
      TestTerminal.Tap declined = f.pay(1, 200_000); // above the card's 100,000 balance
      assertThat(declined.response().responseCode().code()).isEqualTo("51");
      String token = f.token();

      ConsoleTestClient anonymous = new ConsoleTestClient(f.base());
      HttpResponse<String> document = see("GET", "/openapi.json", anonymous.get("/openapi.json"));
      OpenAPI api = OpenApiChecks.parseValid(document.body());
      OpenApiChecks.assertDocumentsExactly(api, f.issuer.httpRoutes(), 9);
      assertThat(see("GET", "/metrics", anonymous.get("/metrics")).body()).contains("iotpay_authorisations_total");

      refusedWithoutASession(anonymous);
      ConsoleTestClient operator = new ConsoleTestClient(f.base());
      assertThat(see("POST", "/console/login", operator.login("not-the-token")).statusCode()).isNotEqualTo(303);
      assertThat(see("POST", "/console/login", operator.login(token)).statusCode()).isEqualTo(303);
      String verifyPath = "/console/books/verify";
      assertThat(see("POST", verifyPath, operator.post(verifyPath, Map.of())).statusCode()).as("no CSRF token").isEqualTo(403);
      assertThat(see("POST", verifyPath, operator.post(verifyPath, Map.of("csrf", "forged"))).statusCode()).isEqualTo(403);

      books(operator, f);
      authorisations(operator, f);
      for (String page : PAGES) {
        keep(see("GET", page.split("\\?")[0], operator.get(page)));
      }
      see("GET", "/console", operator.get("/console"));
      see("GET", "/console/login", operator.get("/console/login"));
      see("POST", "/console/logout", operator.post("/console/logout", Map.of("csrf", ConsoleTestClient.csrfOf(html.get(0)))));
      assertThat(see("GET", "/console/books", operator.get("/console/books")).statusCode()).as("logged out").isEqualTo(303);

      depositAccountsAndThePennyTest(f, token);

      OpenApiChecks.assertAnswersMatch(api, seen);
      assertThat(seen.stream().map(Seen::status).distinct()).contains(200, 303, 400, 401, 403, 404);
      noSecretIn(f.secrets());
    }
  }

  private void refusedWithoutASession(ConsoleTestClient anonymous) throws Exception {
    for (String page : PAGES) {
      HttpResponse<String> refused = see("GET", page.split("\\?")[0], anonymous.get(page));
      assertThat(refused.statusCode()).as(page).isEqualTo(303);
      assertThat(refused.headers().firstValue("Location")).as(page).get().asString().contains("/console/login");
      assertThat(see("GET", page.split("\\?")[0], anonymous.htmxGet(page)).statusCode()).as(page).isEqualTo(401);
    }
    assertThat(see("GET", "/console", anonymous.get("/console")).statusCode()).isEqualTo(303);
    assertThat(see("POST", "/console/books/verify", anonymous.post("/console/books/verify", Map.of())).statusCode())
        .isIn(303, 403);
  }

  private void books(ConsoleTestClient operator, IssuerConsoleFixture f) throws Exception {
    HttpResponse<String> books = keep(see("GET", "/console/books", operator.get("/console/books")));
    assertThat(books.statusCode()).isEqualTo(200);
    assertThat(books.body()).contains("debits = credits").contains("card 1").contains("settlement (owed to the scheme)")
        .doesNotContain("id=\"verdict\"");
    String csrf = ConsoleTestClient.csrfOf(books.body());
    HttpResponse<String> verified = keep(see("POST", "/console/books/verify",
        operator.post("/console/books/verify", Map.of("csrf", csrf))));
    assertThat(verified.statusCode()).isEqualTo(200);
    assertThat(verified.body()).contains("id=\"verdict-outcome\" class=\"status-VERIFIED\">VERIFIED<");
    assertThat(f.issuer.books().balanced()).isTrue();
    HttpResponse<String> one = keep(see("GET", "/console/books", operator.get("/console/books?account=1000")));
    assertThat(one.body()).contains("<td class=\"account-id\">1000</td>").doesNotContain("<td class=\"account-id\">1001</td>");
    assertThat(see("GET", "/console/books", operator.get("/console/books?account=-1")).statusCode()).isEqualTo(400);
    assertThat(see("GET", "/console/books", operator.get("/console/books?after=x")).statusCode()).isEqualTo(400);
  }

  private void authorisations(ConsoleTestClient operator, IssuerConsoleFixture f) throws Exception {
    String paidCard = f.cards.get(0).pan().masked();
    String declinedCard = f.cards.get(1).pan().masked();
    HttpResponse<String> all = keep(see("GET", "/console/authorisations", operator.get("/console/authorisations")));
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(all.body()).contains(paidCard).contains(declinedCard).contains("12.34").contains(">51<");
    assertThat(all.body().indexOf(declinedCard)).as("newest first").isLessThan(all.body().indexOf(paidCard));
    // The acquirer numbers its own messages to the switch: the issuer's STAN is read from the issuer's row.
    String stan = stanOfRow(all.body(), paidCard);
    HttpResponse<String> byStan = keep(see("GET", "/console/authorisations", operator.get("/console/authorisations?stan=" + stan)));
    assertThat(byStan.body()).contains("<td class=\"stan\">" + stan + "</td>").contains(paidCard).doesNotContain(declinedCard);
    String digits = f.cards.get(1).pan().digits();
    String suffix = digits.substring(digits.length() - 4);
    HttpResponse<String> byCard = keep(see("GET", "/console/authorisations", operator.get("/console/authorisations?card=" + suffix)));
    assertThat(byCard.body()).contains(declinedCard).doesNotContain(paidCard)
        .contains("<td class=\"stan\">" + stanOfRow(all.body(), declinedCard) + "</td>");
    for (String bad : List.of("stan=1234567", "stan=%3Cscript%3E", "card=12345", "page=-1", "page=1001")) {
      assertThat(see("GET", "/console/authorisations", operator.get("/console/authorisations?" + bad)).statusCode()).as(bad)
          .isEqualTo(400);
    }
  }

  /**
   * Opens an account at the issuer over HTTP after refused attempts (which change nothing), then
   * registers two merchants at the acquirer: one with that account (penny test 00 → activated), one
   * with an account the issuer does not hold (14 → in review).
   */
  private void depositAccountsAndThePennyTest(IssuerConsoleFixture f, String token) throws Exception {
    String opened = "6222021234567890";
    String unknown = "6222029999999999";
    String path = "/v1/deposit-accounts/";
    String template = "/v1/deposit-accounts/{number}";
    ConsoleTestClient api = new ConsoleTestClient(f.base());
    assertThat(see("PUT", template, putState(api, path + opened, null, "{\"state\":\"OPEN\"}")).statusCode()).isEqualTo(401);
    assertThat(see("PUT", template, putState(api, path + opened, token.substring(1) + "0", "{\"state\":\"OPEN\"}")).statusCode())
        .isEqualTo(401);
    assertThat(see("GET", template, getAccount(api, path + opened, null)).statusCode()).isEqualTo(401);
    for (String bad : List.of("{\"state\":\"open\"}", "{\"state\":\"DORMANT\"}", "{\"state\":\"OPEN\",\"state\":\"CLOSED\"}",
        "{\"state\":\"OPEN\",\"owner\":\"x\"}", "{\"state\":1}", "[\"OPEN\"]", "{\"state\":\"OPEN\"} {}", "", "not json")) {
      HttpResponse<String> refused = see("PUT", template, putState(api, path + opened, token, bad));
      assertThat(refused.statusCode()).as(bad).isEqualTo(400);
      assertThat(refused.body()).as(bad).contains("\"error\":\"BAD_STATE\"");
    }
    for (String badNumber : List.of("12345", "6222-0212-3456", "6222021234567890abc", "1".repeat(35), "%E2%80%AE123456")) {
      HttpResponse<String> refused = see("PUT", template, putState(api, path + badNumber, token, "{\"state\":\"OPEN\"}"));
      assertThat(refused.statusCode()).as(badNumber).isEqualTo(400);
      assertThat(refused.body()).as(badNumber).contains("\"error\":\"BAD_ACCOUNT_NUMBER\"");
    }
    assertThat(see("GET", template, getAccount(api, path + "12345", token)).statusCode()).isEqualTo(400);
    assertThat(see("GET", template, getAccount(api, path + opened, token)).statusCode()).as("nothing was opened").isEqualTo(404);
    assertThat(f.issuer.service().deposits().state(opened)).isEmpty();

    HttpResponse<String> open = see("PUT", template, putState(api, path + opened, token, "{\"state\":\"OPEN\"}"));
    assertThat(open.statusCode()).isEqualTo(200);
    assertThat(open.body()).isEqualTo("{\"accountNumberMasked\":\"************7890\",\"state\":\"OPEN\"}");
    assertThat(see("PUT", template, putState(api, path + opened, token, "{ \"state\" : \"OPEN\" }")).body()).as("again: the same")
        .isEqualTo(open.body());
    assertThat(see("GET", template, getAccount(api, path + opened, token)).body()).isEqualTo(open.body());
    assertThat(see("GET", template, getAccount(api, path + unknown, token)).statusCode()).isEqualTo(404);
    assertThat(see("PUT", template, putState(api, path + opened, token, "{\"state\":\"SHUT\"}")).statusCode()).isEqualTo(400);
    assertThat(f.issuer.service().deposits().state(opened)).as("unchanged by the refused request").contains(DepositAccounts.State.OPEN);

    String bank = SchemeSetup.bankId(1);
    long verifications = f.issuer.service().deposits().verifications();
    String active = register(f, "deposit-open-0001", "91310000MA1K4AB12X", bank, opened);
    assertThat(active).contains("\"state\":\"ACTIVATED\"")
        .contains("{\"check\":\"SETTLEMENT_ACCOUNT\",\"verdict\":\"PASS\",\"reason\":\"bank " + bank
            + " confirmed the account ************7890 is open (account verification)\"");
    String review = register(f, "deposit-unknown-0001", "91310000MA1K4AB13Y", bank, unknown);
    assertThat(review).contains("\"state\":\"IN_REVIEW\"")
        .contains("{\"check\":\"SETTLEMENT_ACCOUNT\",\"verdict\":\"FAIL\",\"reason\":\"bank " + bank
            + " has no such account ************9999 (account verification, code 14)\"");
    assertThat(f.issuer.service().deposits().verifications()).as("each penny test answered by the issuer")
        .isEqualTo(verifications + 2);
    for (Seen s : seen) {
      assertThat(s.body()).doesNotContain(opened).doesNotContain(unknown);
    }
    assertThat(active + review).doesNotContain(opened).doesNotContain(unknown);
  }

  private static HttpResponse<String> putState(ConsoleTestClient api, String path, String token, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.base() + path)).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body));
    return api.send(token == null ? request : request.header("Authorization", "Bearer " + token));
  }

  private static HttpResponse<String> getAccount(ConsoleTestClient api, String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.base() + path)).GET();
    return api.send(token == null ? request : request.header("Authorization", "Bearer " + token));
  }

  /** A merchant registers at the acquirer's API (anonymous, as in docs/merchant-onboarding.md); the 201 answer's body. */
  private static String register(IssuerConsoleFixture f, String requestId, String licence, String bank, String account)
      throws Exception {
    ConsoleTestClient acquirer = new ConsoleTestClient(f.acquirerBase());
    HttpResponse<String> answer = acquirer.send(HttpRequest.newBuilder(URI.create(f.acquirerBase() + "/v1/pos/merchants"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"request_id\":\"" + requestId
            + "\",\"legal_name\":\"Zhang San Noodles\",\"business_licence_number\":\"" + licence
            + "\",\"owner_id_number\":\"310101199001011234\",\"mcc\":\"5812\",\"address\":\"12 Market Street, Shanghai\","
            + "\"settlement_account\":{\"bank_id\":\"" + bank + "\",\"account_number\":\"" + account + "\"}}")));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
    return answer.body();
  }

  /** The STAN in the row of the first authorisation of {@code maskedCard} on a page. */
  static String stanOfRow(String page, String maskedCard) {
    java.util.regex.Matcher row = java.util.regex.Pattern.compile("<td class=\"stan\">([0-9]+)</td>[^\n]*\n\\s*<td class=\"card\">"
        + java.util.regex.Pattern.quote(maskedCard) + "</td>").matcher(page);
    assertThat(row.find()).as("a row of " + maskedCard).isTrue();
    return row.group(1);
  }

  private void noSecretIn(List<String> secrets) {
    assertThat(html).hasSizeGreaterThan(8);
    for (String page : html) {
      String lower = page.toLowerCase(Locale.ROOT);
      for (String secret : secrets) {
        assertThat(lower).as("a secret in a page").doesNotContain(secret.toLowerCase(Locale.ROOT));
      }
    }
  }

  private HttpResponse<String> keep(HttpResponse<String> response) {
    html.add(response.body());
    return response;
  }

  private HttpResponse<String> see(String method, String template, HttpResponse<String> response) {
    seen.add(new Seen(method, template, response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
        response.body()));
    return response;
  }
}
