package io.iotpay.platform.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.identity.DeviceStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import io.iotpay.console.HeadlessChromium;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator console in a real browser: Debian's headless Chromium driven by Selenium against the
 * console on real parts ({@link ConsoleFixture}). Skipped, with the reason, where Chromium or its
 * driver is not installed ({@code .ci/setup.d/70-chromium.sh} installs both). Screenshots of every
 * page go to {@code target/console-screenshots/}.
 */
class ConsoleBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path tempDir;

  static Stream<Arguments> suitesWithAndWithoutJavaScript() {
    return Stream.of(AlgorithmSuite.values()).flatMap(suite -> Stream.of(Arguments.of(suite, true), Arguments.of(suite, false)));
  }

  @ParameterizedTest(name = "{0}, JavaScript {1}")
  @MethodSource("suitesWithAndWithoutJavaScript")
  void logIn_findADevice_suspendIt_andItsNextPaymentRequestIsRefused(AlgorithmSuite suite, boolean javaScript) throws Exception {
    try (ConsoleFixture f = new ConsoleFixture(suite, tempDir)) {
      inBrowser(javaScript, browser -> {
          logIn(browser, f);
          browser.findElement(By.id("q")).sendKeys("car");
          browser.findElement(By.id("search")).click();
          wait(browser).until(ExpectedConditions.urlContains("q=car"));
          browser.findElement(By.linkText(ConsoleFixture.DEVICE)).click();
          wait(browser).until(ExpectedConditions.textToBe(By.id("device-status"), "ACTIVE"));
          assertThat(f.devicePaymentRequest().status()).as("an active device is heard").isEqualTo(200);

          browser.findElement(By.id("reason")).sendKeys("reported stolen");
          browser.findElement(By.id("suspend")).click();
          wait(browser).until(ExpectedConditions.textToBe(By.id("device-status"), "SUSPENDED"));
          assertThat(status(f)).isEqualTo(DeviceStatus.SUSPENDED);

          HttpApiFixture.Response refused = f.devicePaymentRequest();
          assertThat(refused.status()).isEqualTo(403);
          assertThat(refused.error()).isEqualTo("DEVICE_SUSPENDED");
          browser.navigate().refresh();
          assertThat(browser.findElement(By.id("device-refusals")).getText()).contains("DEVICE_SUSPENDED");
          HeadlessChromium.screenshot(browser, suite + (javaScript ? "" : "-nojs") + "-device");
      });
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void openAPayment_itsProofVerifiesInThePage_andFailsWhenAByteIsChanged(AlgorithmSuite suite) throws Exception {
    try (ConsoleFixture f = new ConsoleFixture(suite, tempDir)) {
      inBrowser(true, browser -> {
          logIn(browser, f);
          browser.findElement(By.linkText("Payments")).click();
          browser.findElement(By.linkText(ConsoleFixture.DEVICE + "/8")).click();
          assertThat(browser.findElement(By.id("server-check-0")).getText()).isEqualTo("verified");
          assertThat(browser.findElement(By.id("server-check-1")).getText()).isEqualTo("verified");
          if (suite != AlgorithmSuite.INTERNATIONAL) {
            assertThat(browser.findElements(By.className("browser-check"))).isEmpty();
            assertThat(browser.getPageSource()).contains("only the platform's");
            return;
          }
          for (String version : List.of("0", "1")) {
            wait(browser).until(ExpectedConditions.textToBe(By.id("browser-check-" + version), "verified in this browser"));
          }
          HeadlessChromium.screenshot(browser, suite + "-payment");
          JavascriptExecutor js = (JavascriptExecutor) browser;
          String original = (String) js.executeScript("return document.getElementById('proof-1').textContent;");
          for (String field : List.of("entry", "leafHash", "root", "checkpoint.rootHash", "checkpoint.signature", "path.0")) {
            js.executeScript(CHANGE_ONE_BYTE, "proof-1", field);
            browser.findElement(By.id("check-proofs")).click();
            wait(browser).until(ExpectedConditions.textToBePresentInElementLocated(By.id("browser-check-1"), "FAILED"));
            assertThat(browser.findElement(By.id("browser-check-0")).getText()).as(field).isEqualTo("verified in this browser");
            // Put the proof back: it verifies again, so the failure was the changed byte's.
            js.executeScript("document.getElementById(arguments[0]).textContent = arguments[1];", "proof-1", original);
            browser.findElement(By.id("check-proofs")).click();
            wait(browser).until(ExpectedConditions.textToBe(By.id("browser-check-1"), "verified in this browser"));
          }
      });
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aCloneFlag_isClearedFromTheDevicePage_andTheVerdictIsAudited(AlgorithmSuite suite) throws Exception {
    try (ConsoleFixture f = new ConsoleFixture(suite, tempDir)) {
      f.flagAsCloned(100);
      long auditSize = f.api.platform.auditLog.size();
      inBrowser(true, browser -> {
          logIn(browser, f);
          browser.findElement(By.linkText(ConsoleFixture.DEVICE)).click();
          assertThat(browser.findElement(By.id("clone-evidence")).getText()).contains("interleaved places", "http:203.0.113.9");
          HeadlessChromium.screenshot(browser, suite + "-device-clone-suspected");
          browser.findElement(By.id("clone-reason")).sendKeys("checked with the owner");
          browser.findElement(By.id("clone-clear")).click();
          wait(browser).until(ExpectedConditions.textToBe(By.id("clone-evidence"), "none"));
          assertThat(browser.findElements(By.id("clone-form"))).isEmpty();
          HeadlessChromium.screenshot(browser, suite + "-device-clone-cleared");
      });
      assertThat(f.api.platform.states.state(DeviceId.of(ConsoleFixture.DEVICE)).orElseThrow().cloneSuspicion()).isNull();
      assertThat(f.api.platform.auditLog.size()).isEqualTo(auditSize + 1);
      assertThat(f.lastAuditLeaf()).contains("\"action\":\"clone-cleared\"", "\"reason\":\"checked with the owner\"");
      assertThat(status(f)).isEqualTo(DeviceStatus.ACTIVE);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aCsvOfThreeCsrs_withOneBadRow_registersTwo_andShowsWhyTheThirdWasRefused(AlgorithmSuite suite) throws Exception {
    try (ConsoleFixture f = new ConsoleFixture(suite, tempDir)) {
      Path csv = tempDir.resolve("devices.csv");
      Files.writeString(csv, "device_id,suite,csr\n"
          + ConsoleFixture.csvRow("meter-1", suite.name(), ConsoleFixture.csrPem(suite, "meter-1"))
          + ConsoleFixture.csvRow("meter-2", suite.name(), ConsoleFixture.csrPem(suite, "someone-else"))
          + ConsoleFixture.csvRow("meter-3", suite.name(), ConsoleFixture.csrPem(suite, "meter-3")));
      inBrowser(true, browser -> {
          logIn(browser, f);
          browser.findElement(By.id("csv")).sendKeys(csv.toAbsolutePath().toString());
          HeadlessChromium.screenshot(browser, suite + "-devices-bulk-form");
          browser.findElement(By.id("bulk-register")).click();
          wait(browser).until(ExpectedConditions.textToBe(By.id("bulk-summary"), "2 registered, 1 refused."));
          List<WebElement> refused = browser.findElements(By.cssSelector("#bulk-results tr.refused"));
          assertThat(refused).hasSize(1);
          assertThat(refused.get(0).getText()).contains("meter-2", "CSR_INVALID", "someone-else");
          assertThat(browser.findElements(By.cssSelector("#bulk-results tr.registered"))).extracting(WebElement::getText)
              .anySatisfy(row -> assertThat(row).contains("meter-1")).anySatisfy(row -> assertThat(row).contains("meter-3"));
          String html = browser.getPageSource();
          for (String secret : f.secrets()) {
            assertThat(html).doesNotContain(secret);
          }
          HeadlessChromium.screenshot(browser, suite + "-devices-bulk-result");
          browser.findElement(By.linkText("meter-3")).click();
          wait(browser).until(ExpectedConditions.textToBe(By.id("device-status"), "ACTIVE"));
      });
      assertThat(f.api.registry.find(DeviceId.of("meter-1"))).isPresent();
      assertThat(f.api.registry.find(DeviceId.of("meter-3"))).isPresent();
      assertThat(f.api.registry.find(DeviceId.of("meter-2"))).isEmpty();
      assertThat(f.api.registry.find(DeviceId.of("someone-else"))).isEmpty();
      assertThat(f.lastAuditLeaf()).contains("\"registered\":[\"meter-1\",\"meter-3\"]", "\"device_id\":\"meter-2\",\"reason\":\"CSR_INVALID\"");
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aUsersToken_logsInReadOnly_andTheDevicePageOffersNoAction(AlgorithmSuite suite) throws Exception {
    try (ConsoleFixture f = new ConsoleFixture(suite, tempDir)) {
      inBrowser(true, browser -> {
          browser.get(f.uri("/console/login").toString());
          browser.findElement(By.id("token")).sendKeys(HttpApiFixture.ALICE_TOKEN);
          browser.findElement(By.id("login")).click();
          wait(browser).until(ExpectedConditions.urlContains("/console/devices"));
          assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("user alice (read-only)");
          assertThat(browser.findElements(By.id("bulk-form"))).isEmpty();
          browser.findElement(By.linkText(ConsoleFixture.DEVICE)).click();
          wait(browser).until(ExpectedConditions.textToBe(By.id("device-status"), "ACTIVE"));
          assertThat(browser.findElements(By.id("status-form"))).isEmpty();
          assertThat(browser.findElement(By.id("device-mandates")).getText()).contains("mandate-1", "alice");
          HeadlessChromium.screenshot(browser, suite + "-device-read-only");
      });
    }
  }

  /** Changes one byte (the first hex digit of its second byte) of a field of the proof shown in element arguments[0]. */
  private static final String CHANGE_ONE_BYTE = """
      const pre = document.getElementById(arguments[0]);
      const proof = JSON.parse(pre.textContent);
      const names = arguments[1].split('.');
      let holder = proof;
      for (const name of names.slice(0, -1)) { holder = holder[name]; }
      const last = names[names.length - 1];
      const hex = holder[last];
      const digit = hex[2] === '0' ? '1' : '0';
      holder[last] = hex.substring(0, 2) + digit + hex.substring(3);
      pre.textContent = JSON.stringify(proof, null, 2);
      """;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aFormPostedWithoutItsCsrfToken_isRefused(AlgorithmSuite suite) throws Exception {
    try (ConsoleFixture f = new ConsoleFixture(suite, tempDir)) {
      inBrowser(true, browser -> {
          logIn(browser, f);
          browser.get(f.uri("/console/devices/" + ConsoleFixture.DEVICE).toString());
          ((JavascriptExecutor) browser).executeScript("document.querySelector('#status-form input[name=csrf]').remove();");
          browser.findElement(By.id("reason")).sendKeys("no token");
          browser.findElement(By.id("revoke")).click();
          wait(browser).until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "CSRF"));
          assertThat(browser.findElement(By.tagName("body")).getText()).contains("Refused");
          assertThat(status(f)).isEqualTo(DeviceStatus.ACTIVE);
          HeadlessChromium.screenshot(browser, suite + "-csrf-refused");
      });
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void everyPage_rendersWithoutCspViolations_andShowsNoSecret(AlgorithmSuite suite) throws Exception {
    try (ConsoleFixture f = new ConsoleFixture(suite, tempDir)) {
      inBrowser(true, browser -> {
          browser.get(f.uri("/console/login").toString());
          HeadlessChromium.screenshot(browser, suite + "-login");
          logIn(browser, f);
          for (String page : f.pages()) {
            browser.get(f.uri(page).toString());
            wait(browser).until(ExpectedConditions.presenceOfElementLocated(By.tagName("h1")));
            if (page.equals("/console/live")) {
              // uPlot drew its charts: the WebJar's script ran under the CSP.
              wait(browser).until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#chart-decisions canvas"), 0));
            }
            String html = browser.getPageSource();
            for (String secret : f.secrets()) {
              assertThat(html).as(page).doesNotContain(secret);
            }
            HeadlessChromium.screenshot(browser, suite + "-" + page.substring("/console/".length()).replaceAll("[^A-Za-z0-9]+", "-"));
          }
          browser.findElement(By.linkText("Books")).click();
          browser.findElement(By.id("verify")).click();
          wait(browser).until(ExpectedConditions.textToBePresentInElementLocated(By.id("verify-result"), "VERIFIED"));
          HeadlessChromium.screenshot(browser, suite + "-books-verified");
          List<LogEntry> problems = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
              .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).toList();
          assertThat(problems).as("browser console errors (a CSP violation would be one)").isEmpty();
          f.api.platform.assertBooksBalance();
      });
    }
  }

  /** What a test does in the browser. */
  private interface Steps {
    void run(WebDriver browser) throws Exception;
  }

  /** Runs {@code steps} in a fresh headless Chromium, closed after them whatever happens. */
  private static void inBrowser(boolean javaScript, Steps steps) throws Exception {
    WebDriver browser = HeadlessChromium.start(javaScript);
    try {
      steps.run(browser);
    } finally {
      browser.quit();
    }
  }

  private static void logIn(WebDriver browser, ConsoleFixture f) {
    browser.get(f.uri("/console/login").toString());
    browser.findElement(By.id("token")).sendKeys(f.api.operatorToken);
    browser.findElement(By.id("login")).click();
    wait(browser).until(ExpectedConditions.urlContains("/console/devices"));
  }

  private static WebDriverWait wait(WebDriver browser) {
    return new WebDriverWait(browser, WAIT);
  }



  private static DeviceStatus status(ConsoleFixture f) {
    return f.api.registry.find(DeviceId.of(ConsoleFixture.DEVICE)).orElseThrow().status();
  }
}
