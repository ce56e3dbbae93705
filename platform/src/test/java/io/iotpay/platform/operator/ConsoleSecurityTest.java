package io.iotpay.platform.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.identity.DeviceStatus;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The operator console's security over plain HTTP (no browser needed): every page refused without an
 * operator session, session fixation, CSRF on every form, the security headers and cookie attributes,
 * no secret in any page, bad input refused with nothing changed. Both suites.
 */
class ConsoleSecurityTest {
  @TempDir Path tempDir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void everyPage_withoutASession_isRefused_andShowsNothing(AlgorithmSuite suite) throws Exception {
    try (ConsoleFixture f = new ConsoleFixture(suite, tempDir)) {
      ConsoleFixture.Client anonymous = new ConsoleFixture.Client(f);
      for (String page : f.pages()) {
        HttpResponse<String> answer = anonymous.get(page);
        assertThat(answer.statusCode()).as(page).isEqualTo(303);
        assertThat(answer.headers().firstValue("Location")).as(page).hasValue("/console/login");
        assertThat(answer.body()).as(page).doesNotContain(ConsoleFixture.DEVICE);
      }
      assertThat(anonymous.get("/console/live/data").statusCode()).isEqualTo(401);
      // An anonymous session (the login page's) is no operator session either.
      anonymous.loginForm();
      assertThat(anonymous.cookie).isNotNull();
      for (String page : f.pages()) {
        assertThat(anonymous.get(page).statusCode()).as(page).isEqualTo(303);
      }
      // Nor is a wrong token.
      HttpResponse<String> wrong = anonymous.login("not-the-operator-token-" + "x".repeat(40));
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.body()).contains("not the operator token");
      assertThat(anonymous.get("/console/devices").statusCode()).isEqualTo(303);
      // The same pages open with the operator's session.
      ConsoleFixture.Client operator = new ConsoleFixture.Client(f);
      assertThat(operator.login(f.api.operatorToken).statusCode()).isEqualTo(303);
      for (String page : f.pages()) {
        HttpResponse<String> answer = operator.get(page);
        assertThat(answer.statusCode()).as(page).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).as(page).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void login_startsANewSession_soAPlantedIdIsWorthNothing(AlgorithmSuite suite) throws Exception {
    try (ConsoleFixture f = new ConsoleFixture(suite, tempDir)) {
      ConsoleFixture.Client victim = new ConsoleFixture.Client(f);
      String csrf = victim.loginForm();
      String planted = victim.cookie; // what an attacker would have set in the victim's browser
      assertThat(victim.post("/console/login", "csrf=" + csrf + "&token=" + f.api.operatorToken).statusCode()).isEqualTo(303);
      assertThat(victim.cookie).isNotNull().isNotEqualTo(planted);
      assertThat(victim.get("/console/devices").statusCode()).isEqualTo(200);

      ConsoleFixture.Client attacker = new ConsoleFixture.Client(f);
      attacker.cookie = planted;
      assertThat(attacker.get("/console/devices").statusCode()).isEqualTo(303);
      // A made-up id is no session: the login form posted with it is refused (no CSRF token can match).
      ConsoleFixture.Client made = new ConsoleFixture.Client(f);
      made.cookie = "A".repeat(43);
      assertThat(made.post("/console/login", "csrf=" + csrf + "&token=" + f.api.operatorToken).statusCode()).isEqualTo(403);
      // Logging out ends the session on the server, not only in the browser.
      String before = victim.cookie;
      assertThat(victim.post("/console/logout", "csrf=" + ConsoleFixture.Client.csrfOf(victim.get("/console/devices").body())).statusCode())
          .isEqualTo(303);
      ConsoleFixture.Client replay = new ConsoleFixture.Client(f);
      replay.cookie = before;
      assertThat(replay.get("/console/devices").statusCode()).isEqualTo(303);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void everyForm_withoutItsCsrfToken_isRefused_andChangesNothing(AlgorithmSuite suite) throws Exception {
    try (ConsoleFixture f = new ConsoleFixture(suite, tempDir)) {
      ConsoleFixture.Client operator = loggedIn(f);
      String devicePage = "/console/devices/" + ConsoleFixture.DEVICE;
      String csrf = ConsoleFixture.Client.csrfOf(operator.get(devicePage).body());
      ConsoleFixture.Client other = new ConsoleFixture.Client(f);
      other.login(f.api.operatorToken);
      String othersCsrf = ConsoleFixture.Client.csrfOf(other.get(devicePage).body());
      for (String form : List.of("action=suspend&reason=stolen", "csrf=&action=suspend&reason=stolen",
          "csrf=" + csrf.substring(1) + "&action=suspend&reason=stolen", "csrf=" + othersCsrf + "&action=suspend&reason=stolen")) {
        HttpResponse<String> refused = operator.post(devicePage + "/status", form);
        assertThat(refused.statusCode()).as(form).isEqualTo(403);
        assertThat(refused.body()).contains("CSRF");
        assertThat(status(f)).isEqualTo(DeviceStatus.ACTIVE);
      }
      assertThat(operator.post("/console/books/verify", "").statusCode()).isEqualTo(403);
      assertThat(operator.post("/console/logout", "").statusCode()).isEqualTo(403);
      assertThat(operator.get("/console/devices").statusCode()).as("still logged in").isEqualTo(200);
      ConsoleFixture.Client fresh = new ConsoleFixture.Client(f);
      fresh.loginForm();
      assertThat(fresh.post("/console/login", "token=" + f.api.operatorToken).statusCode()).isEqualTo(403);
      // With its token the same form works: the refusals above were the token's doing.
      HttpResponse<String> done = operator.post(devicePage + "/status", "csrf=" + csrf + "&action=suspend&reason=stolen");
      assertThat(done.statusCode()).isEqualTo(303);
      assertThat(status(f)).isEqualTo(DeviceStatus.SUSPENDED);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void badInput_isRefusedWithAPage_andChangesNothing(AlgorithmSuite suite) throws Exception {
    try (ConsoleFixture f = new ConsoleFixture(suite, tempDir)) {
      ConsoleFixture.Client operator = loggedIn(f);
      assertThat(operator.get("/console/devices?status=LOST").statusCode()).isEqualTo(400);
      assertThat(operator.get("/console/devices?q=%3Cscript%3E").statusCode()).isEqualTo(400);
      assertThat(operator.get("/console/devices/nobody").statusCode()).isEqualTo(404);
      assertThat(operator.get("/console/payments/car-2/99").statusCode()).isEqualTo(404);
      assertThat(operator.get("/console/payments?before=-1").statusCode()).isEqualTo(400);
      assertThat(operator.get("/console/books?q=abc").statusCode()).isEqualTo(400);
      String page = "/console/devices/" + ConsoleFixture.DEVICE;
      String csrf = ConsoleFixture.Client.csrfOf(operator.get(page).body());
      HttpResponse<String> resume = operator.post(page + "/status", "csrf=" + csrf + "&action=resume&reason=fine");
      assertThat(resume.statusCode()).isEqualTo(409);
      assertThat(resume.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
      assertThat(operator.post(page + "/status", "csrf=" + csrf + "&action=explode&reason=x").statusCode()).isEqualTo(400);
      assertThat(operator.post(page + "/status", "csrf=" + csrf + "&action=suspend&reason=").statusCode()).isEqualTo(400);
      assertThat(operator.post(page + "/status", "csrf=" + csrf + "&action=suspend&reason=a%0Ab").statusCode()).isEqualTo(400);
      assertThat(status(f)).isEqualTo(DeviceStatus.ACTIVE);
      assertThat(operator.get("/console/static/../../META-INF/MANIFEST.MF").statusCode()).isNotEqualTo(200);
      assertThat(operator.get("/console/static/application.conf").statusCode()).isEqualTo(404);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void headersAndCookie_areStrict(AlgorithmSuite suite) throws Exception {
    try (ConsoleFixture f = new ConsoleFixture(suite, tempDir)) {
      ConsoleFixture.Client operator = new ConsoleFixture.Client(f);
      HttpResponse<String> form = operator.get("/console/login");
      String cookie = form.headers().firstValue("Set-Cookie").orElseThrow();
      assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/console").doesNotContain("Secure");
      HttpResponse<String> login = operator.post("/console/login", "csrf=" + ConsoleFixture.Client.csrfOf(form.body())
          + "&token=" + f.api.operatorToken);
      assertThat(login.headers().firstValue("Set-Cookie").orElseThrow()).contains("HttpOnly").contains("SameSite=Strict");
      for (String page : f.pages()) {
        HttpResponse<String> answer = operator.get(page);
        String csp = answer.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("script-src 'self';").contains("default-src 'none'").contains("frame-ancestors 'none'")
            .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        assertThat(answer.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-store");
        // No inline script: every <script> has a src on this origin.
        assertThat(answer.body()).doesNotContainPattern("<script(?![^>]*\\ssrc=\"/console/static/)").doesNotContain(" on" + "click=");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void noPage_showsASecret(AlgorithmSuite suite) throws Exception {
    try (ConsoleFixture f = new ConsoleFixture(suite, tempDir)) {
      ConsoleFixture.Client operator = loggedIn(f);
      String csrf = ConsoleFixture.Client.csrfOf(operator.get("/console/books").body());
      List<String> bodies = new java.util.ArrayList<>();
      for (String page : f.pages()) {
        bodies.add(operator.get(page).body());
      }
      bodies.add(operator.post("/console/books/verify", "csrf=" + csrf).body());
      bodies.add(operator.get("/console/live/data").body());
      bodies.add(new ConsoleFixture.Client(f).get("/console/login").body());
      for (String body : bodies) {
        for (String secret : f.secrets()) {
          assertThat(body).doesNotContain(secret);
        }
      }
      assertThat(bodies.get(5)).as("the payment page shows the audit public key").contains("BEGIN PUBLIC KEY");
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void auditVerify_onDemand_verifiesTheLog_andTheBooksBalance(AlgorithmSuite suite) throws Exception {
    try (ConsoleFixture f = new ConsoleFixture(suite, tempDir)) {
      ConsoleFixture.Client operator = loggedIn(f);
      String page = operator.get("/console/books").body();
      assertThat(page).contains("Every book balances");
      HttpResponse<String> verified = operator.post("/console/books/verify", "csrf=" + ConsoleFixture.Client.csrfOf(page));
      assertThat(verified.statusCode()).isEqualTo(200);
      assertThat(verified.body()).contains("VERIFIED:").doesNotContain("FAILED");
      f.api.platform.assertBooksBalance();
    }
  }

  private static ConsoleFixture.Client loggedIn(ConsoleFixture f) throws Exception {
    ConsoleFixture.Client operator = new ConsoleFixture.Client(f);
    assertThat(operator.login(f.api.operatorToken).statusCode()).isEqualTo(303);
    return operator;
  }

  private static DeviceStatus status(ConsoleFixture f) {
    return f.api.registry.find(DeviceId.of(ConsoleFixture.DEVICE)).orElseThrow().status();
  }
}
