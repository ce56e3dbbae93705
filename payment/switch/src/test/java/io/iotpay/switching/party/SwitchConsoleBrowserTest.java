package io.iotpay.switching.party;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.switching.online.SwitchPartyFixture;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import io.iotpay.console.HeadlessChromium;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The switch's console in a real browser (Debian's headless Chromium via Selenium, JavaScript off, as
 * every page must work without it) against a real switch party whose day was presented
 * (SwitchPartyFixture): log in with the operator token, see the day among the open dates, close it
 * with the form, and see the window's net positions sum to zero (the page's cells added up here, and
 * its sum line); then a form posted with the browser's session but without its CSRF token is refused
 * and closes nothing. Skipped, with the reason, where Chromium or its driver is not installed
 * ({@code .ci/setup.d/70-chromium.sh}). Screenshots go to {@code target/console-screenshots/}.
 */
class SwitchConsoleBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void closeADayInTheBrowser_andSeeTheNetPositionsSumToZero(AlgorithmSuite suite) throws Exception {
    HeadlessChromium.assumeInstalled();
    try (SwitchPartyFixture sw = SwitchPartyFixture.start(dir, suite)) {
      sw.presentDay(suite);
      String day = SwitchPartyFixture.DAY.toString();
      WebDriver browser = HeadlessChromium.start(false);
      try {
        browser.get(sw.base() + "/console/settlement");
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlContains("/console/login"));
        HeadlessChromium.screenshot(browser, "switch-" + suite + "-login");
        browser.findElement(By.id("token")).sendKeys(SwitchParty.operatorToken(sw.dataDir));
        browser.findElement(By.id("login")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlContains("/console/settlement"));
        assertThat(browser.findElement(By.id("open-dates")).getText()).contains(day);
        assertThat(browser.findElement(By.id("date")).getAttribute("value")).isEqualTo(day);
        HeadlessChromium.screenshot(browser, "switch-" + suite + "-windows-open");
        browser.findElement(By.id("close")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlContains("/console/settlement/" + day));
        List<WebElement> nets = browser.findElements(By.cssSelector("#positions tr.position td.net"));
        assertThat(nets).hasSize(3);
        BigDecimal sum = nets.stream().map(e -> new BigDecimal(e.getText())).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(sum.signum()).as("the net positions' sum").isZero();
        assertThat(nets.stream().map(WebElement::getText).toList()).containsExactly("40.00", "-25.00", "-15.00");
        assertThat(browser.findElement(By.id("net-sum")).getText()).isEqualTo("0.00");
        assertThat(browser.findElement(By.id("state")).getText()).isEqualTo("SETTLED");
        HeadlessChromium.screenshot(browser, "switch-" + suite + "-window");
        browser.findElement(By.linkText("Files")).click();
        assertThat(browser.findElement(By.id("files")).getText()).contains("presentment-ACQ1-" + day + "-1.txt").contains("TAKEN")
            .doesNotContain("unsigned");
        HeadlessChromium.screenshot(browser, "switch-" + suite + "-files");
        browser.findElement(By.linkText("Exceptions")).click();
        assertThat(browser.findElement(By.id("exceptions")).getText()).contains("NO_AUTHORISATION").contains("UNKNOWN_CARD_RANGE");
        HeadlessChromium.screenshot(browser, "switch-" + suite + "-exceptions");

        // The browser's own session, a form without its CSRF token: refused, and no window for that date.
        Cookie session = browser.manage().getCookieNamed("iotpay_console");
        String earlier = SwitchPartyFixture.DAY.minusDays(1).toString();
        HttpResponse<String> forged = postWithCookie(sw.base() + "/console/settlement/close", session, Map.of("date", earlier));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("CSRF");
        browser.get(sw.base() + "/console/settlement");
        assertThat(browser.findElement(By.id("windows")).getText()).contains(day).doesNotContain(earlier);
      } finally {
        browser.quit();
      }
    }
  }

  private static HttpResponse<String> postWithCookie(String url, Cookie session, Map<String, String> fields) throws Exception {
    String form = fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .reduce((a, b) -> a + "&" + b).orElse("");
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", session.getName() + "=" + session.getValue())
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }


}
