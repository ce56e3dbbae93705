package io.iotpay.app.party;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.console.ConsoleTestClient;
import io.iotpay.console.OpenApiChecks;
import io.iotpay.console.OpenApiChecks.Seen;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.swagger.v3.oas.models.OpenAPI;
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
 *   <li>no page's HTML holds the operator token, a key of the issuer's or a full PAN.
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

      OpenApiChecks.assertAnswersMatch(api, seen);
      assertThat(seen.stream().map(Seen::status).distinct()).contains(200, 303, 400, 401, 403);
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
