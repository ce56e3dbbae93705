package io.iotpay.acquirer.party;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.acquirer.pos.console.ConsoleBrowserSession;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The acquirer party's console over HTTP, on a real {@link AcquirerParty} (its registry, database,
 * sealed keys and HTTP port), in both suites: every page refused without a session; login with the
 * registry's operator token under a new session id; every form refused without its CSRF token, with
 * another session's or a wrong one, nothing changed, then accepted; the headers and cookie; bad input
 * refused with nothing changed; no secret in any page.
 */
class AcquirerConsoleSecurityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  /** The owner and account of the merchant {@link AcquirerParty#init} registers (docs/parties.md). */
  private static final String INIT_OWNER_ID = "110105194912310021";
  private static final String INIT_ACCOUNT = "6222000011112222";
  private static final String REVIEW_OWNER_ID = "310101199001011234";
  /** At the bank the party's penny test knows, but not an open account there: a soft FAIL, so IN_REVIEW. */
  private static final String REVIEW_ACCOUNT = "6222020000123456";

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void thePartysConsole_isGuarded_andShowsNoSecret(AlgorithmSuite suite) throws Exception {
    Path data = AcquirerDirectories.init(dir.resolve("acq"), suite);
    String operatorToken = AcquirerParty.operatorToken(data);
    try (AcquirerParty party = AcquirerParty.start(data, AcquirerParty.Options.none())) {
      String base = "http://127.0.0.1:" + party.registryPort();
      JsonNode review = register(base, REVIEW_OWNER_ID, REVIEW_ACCOUNT);
      assertThat(review.get("state").asText()).isEqualTo("IN_REVIEW");
      String reviewId = review.get("merchant_id").asText();
      String initMerchant = merchants(base, operatorToken, "ACTIVATED").get(0);
      List<String> pages = List.of("/console/review-queue", "/console/merchants", "/console/merchants?q=noodle&state=ACTIVATED",
          "/console/merchants?q=" + reviewId, "/console/merchants/" + reviewId, "/console/merchants/" + initMerchant,
          "/console/merchants/" + initMerchant + "/terminals");

      refusedWithoutASession(base, pages, reviewId);
      ConsoleBrowserSession operator = loggedIn(base, operatorToken);
      csrfRefusedThenAccepted(base, operator, operatorToken, reviewId);
      badInputChangesNothing(base, operator, operatorToken, reviewId, initMerchant);
      List<String> secrets = secrets(data, operatorToken, review.get("merchant_token").asText());
      for (String page : pages) {
        HttpResponse<String> answer = operator.get(page);
        assertThat(answer.statusCode()).as(page).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Security-Policy")).as(page).get().asString()
            .contains("default-src 'none'").contains("script-src 'self'").contains("frame-ancestors 'none'");
        assertThat(answer.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(answer.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(answer.body()).as(page).doesNotContainPattern("<script(?![^>]*\\ssrc=\"/console/static/)");
        for (String secret : secrets) {
          assertThat(answer.body()).as(page + " shows no secret").doesNotContain(secret);
        }
      }
      assertThat(operator.get("/console/merchants/" + reviewId).body()).contains("**************1234").contains("************3456");
      assertThat(operator.get("/console/review-queue").body()).as("the approved merchant left the queue").doesNotContain(reviewId);
    }
  }

  private static void refusedWithoutASession(String base, List<String> pages, String reviewId) throws Exception {
    ConsoleBrowserSession stranger = new ConsoleBrowserSession(base);
    for (String page : pages) {
      HttpResponse<String> answer = stranger.get(page);
      assertThat(answer.statusCode()).as(page).isEqualTo(303);
      assertThat(answer.headers().firstValue("Location")).as(page).contains("/console/login");
      assertThat(answer.body()).as(page).doesNotContain(reviewId);
      assertThat(stranger.htmxGet(page).statusCode()).as("htmx " + page).isEqualTo(401);
    }
    HttpResponse<String> post = stranger.post("/console/merchants/" + reviewId + "/decision", Map.of("action", "approve", "reason", "x"));
    assertThat(post.statusCode()).isEqualTo(403);
    HttpResponse<String> wrong = stranger.login("f".repeat(32));
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("not the operator token");
    assertThat(stranger.get("/console/review-queue").statusCode()).as("an anonymous session opens no page").isEqualTo(303);
  }

  /** Login rotates the session id: an id planted before login is worthless after it. */
  private static ConsoleBrowserSession loggedIn(String base, String operatorToken) throws Exception {
    ConsoleBrowserSession browser = new ConsoleBrowserSession(base);
    HttpResponse<String> form = browser.get("/console/login");
    String cookie = form.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/console").doesNotContain("Secure");
    String planted = browser.sessionId().orElseThrow();
    HttpResponse<String> login = browser.login(operatorToken);
    assertThat(login.statusCode()).isEqualTo(303);
    assertThat(login.headers().firstValue("Location")).contains("/console/review-queue");
    String after = browser.sessionId().orElseThrow();
    assertThat(after).isNotEqualTo(planted);
    ConsoleBrowserSession attacker = new ConsoleBrowserSession(base);
    attacker.plantSessionId(planted);
    assertThat(attacker.get("/console/review-queue").statusCode()).as("the planted id after login").isEqualTo(303);
    assertThat(browser.get("/console/review-queue").statusCode()).isEqualTo(200);
    return browser;
  }

  private static void csrfRefusedThenAccepted(String base, ConsoleBrowserSession operator, String operatorToken, String reviewId)
      throws Exception {
    String path = "/console/merchants/" + reviewId + "/decision";
    String csrf = ConsoleBrowserSession.csrfOf(operator.get("/console/merchants/" + reviewId).body());
    ConsoleBrowserSession other = loggedInQuietly(base, operatorToken);
    String othersCsrf = ConsoleBrowserSession.csrfOf(other.get("/console/merchants/" + reviewId).body());
    for (Map<String, String> form : List.of(Map.of("action", "approve", "reason", "no token"),
        Map.of("action", "approve", "reason", "cut token", "csrf", csrf.substring(1)),
        Map.of("action", "approve", "reason", "another session's token", "csrf", othersCsrf))) {
      assertThat(operator.post(path, form).statusCode()).as(form.get("reason")).isEqualTo(403);
      assertThat(merchant(base, operatorToken, reviewId).get("state").asText()).as("nothing changed").isEqualTo("IN_REVIEW");
    }
    HttpResponse<String> approved = operator.post(path, Map.of("action", "approve", "reason", "bank confirmed by phone", "csrf", csrf));
    assertThat(approved.statusCode()).isEqualTo(303);
    JsonNode merchant = merchant(base, operatorToken, reviewId);
    assertThat(merchant.get("state").asText()).isEqualTo("ACTIVATED");
    JsonNode last = merchant.get("history").get(merchant.get("history").size() - 1);
    assertThat(last.get("actor").asText()).isEqualTo("operator:" + AcquirerParty.OPERATOR);
    assertThat(last.get("reason").asText()).isEqualTo("bank confirmed by phone");
    assertThat(operator.get("/console/merchants/" + reviewId).body()).contains("audited").doesNotContain("DOES NOT MATCH");
  }

  private static ConsoleBrowserSession loggedInQuietly(String base, String operatorToken) throws Exception {
    ConsoleBrowserSession browser = new ConsoleBrowserSession(base);
    assertThat(browser.login(operatorToken).statusCode()).isEqualTo(303);
    return browser;
  }

  private static void badInputChangesNothing(String base, ConsoleBrowserSession operator, String operatorToken, String activated,
      String initMerchant) throws Exception {
    String csrf = ConsoleBrowserSession.csrfOf(operator.get("/console/merchants/" + activated).body());
    int changesBefore = merchant(base, operatorToken, activated).get("history").size();
    assertThat(operator.get("/console/merchants/not-a-merchant").statusCode()).isEqualTo(400);
    assertThat(operator.get("/console/merchants/m-0000000000000000").statusCode()).isEqualTo(404);
    assertThat(operator.get("/console/merchants?state=BOGUS").statusCode()).isEqualTo(400);
    assertThat(operator.get("/console/merchants/m-0000000000000000/terminals").statusCode()).isEqualTo(404);
    String decision = "/console/merchants/" + activated + "/decision";
    assertThat(operator.post(decision, Map.of("csrf", csrf, "action", "approve", "reason", "again")).statusCode())
        .as("approve an ACTIVATED merchant").isEqualTo(409);
    assertThat(operator.post(decision, Map.of("csrf", csrf, "action", "destroy", "reason", "x")).statusCode()).isEqualTo(400);
    assertThat(operator.post(decision, Map.of("csrf", csrf, "action", "suspend", "reason", "bell\u0007")).statusCode()).isEqualTo(400);
    assertThat(operator.post(decision, Map.of("csrf", csrf, "action", "suspend", "reason", "")).statusCode()).isEqualTo(400);
    assertThat(operator.post("/console/terminals/12/block", Map.of("csrf", csrf, "reason", "x")).statusCode()).isEqualTo(400);
    assertThat(operator.post("/console/terminals/00000000/block", Map.of("csrf", csrf, "reason", "x")).statusCode()).isEqualTo(404);
    assertThat(merchant(base, operatorToken, activated).get("state").asText()).isEqualTo("ACTIVATED");
    assertThat(merchant(base, operatorToken, activated).get("history").size()).as("no change recorded").isEqualTo(changesBefore);
    assertThat(merchant(base, operatorToken, initMerchant).get("state").asText()).isEqualTo("ACTIVATED");
  }

  /** Every token, the identity and account numbers in full, and every key file's secret of the directory. */
  private static List<String> secrets(Path data, String operatorToken, String merchantToken) throws Exception {
    List<String> secrets = new ArrayList<>(List.of(operatorToken, merchantToken, INIT_OWNER_ID, INIT_ACCOUNT, REVIEW_OWNER_ID,
        REVIEW_ACCOUNT, "PRIVATE KEY"));
    secrets.add(Files.readString(data.resolve("master.key")).strip());
    try (Stream<Path> files = Files.list(data.resolve(AcquirerParty.REGISTRY_KEYS_DIR))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".key.hex") || f.toString().endsWith(".key.pem")).toList()) {
        String text = Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        secrets.add(text.substring(text.length() / 2, text.length() / 2 + 32));
      }
    }
    return secrets;
  }

  private static JsonNode register(String base, String ownerId, String account) throws Exception {
    String body = "{\"request_id\":\"console-test-0001\",\"legal_name\":\"Dumpling House\","
        + "\"business_licence_number\":\"91310000MA1K000002\",\"owner_id_number\":\"" + ownerId + "\","
        + "\"mcc\":\"5812\",\"address\":\"2 Road\",\"settlement_account\":{\"bank_id\":\"10200000\",\"account_number\":\"" + account + "\"}}";
    HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/pos/merchants"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
    return JSON.readTree(answer.body());
  }

  /** The merchant as the operator HTTP API reads it from the registry (the system's own record). */
  private static JsonNode merchant(String base, String operatorToken, String id) throws Exception {
    return JSON.readTree(operatorGet(base + "/v1/pos/merchants/" + id, operatorToken));
  }

  private static List<String> merchants(String base, String operatorToken, String state) throws Exception {
    List<String> ids = new ArrayList<>();
    JSON.readTree(operatorGet(base + "/v1/pos/merchants?state=" + state, operatorToken)).get("merchants")
        .forEach(m -> ids.add(m.get("merchant_id").asText()));
    return ids;
  }

  private static String operatorGet(String uri, String operatorToken) throws Exception {
    HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer " + operatorToken)
        .GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return answer.body();
  }
}
