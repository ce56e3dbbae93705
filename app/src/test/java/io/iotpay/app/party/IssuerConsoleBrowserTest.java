package io.iotpay.app.party;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.console.HeadlessChromium;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The issuer's console in a real browser (Debian's headless Chromium via Selenium, JavaScript off, as
 * every page must work without it) against a real issuer behind a switch and an acquirer
 * ({@link IssuerConsoleFixture}), both suites: log in with the operator token, open the books and see
 * them balance, press "Audit verify" and see the verdict VERIFIED, open the authorisations and find the
 * payment this test made (masked card and amount), and by the card's last digits only that row. Skipped,
 * with the reason, where Chromium or its driver is not installed ({@code .ci/setup.d/70-chromium.sh}).
 * Screenshots go to {@code target/console-screenshots/}.
 */
class IssuerConsoleBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void logIn_verifyTheAuditLog_andFindThePaymentMade(AlgorithmSuite suite) throws Exception {
    HeadlessChromium.assumeInstalled();
    try (IssuerConsoleFixture f = IssuerConsoleFixture.start(dir, suite, null)) {
      TestTerminal.Tap paid = f.pay(2, 4_321);
      assertThat(paid.approved()).isTrue();
      WebDriver browser = HeadlessChromium.start(false);
      try {
        browser.get(f.base() + "/console/books");
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlContains("/console/login"));
        browser.findElement(By.id("token")).sendKeys(f.token());
        browser.findElement(By.id("login")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlContains("/console/books"));
        assertThat(browser.findElement(By.id("balanced")).getText()).isEqualTo("debits = credits");
        assertThat(browser.findElement(By.id("total-debits")).getText())
            .isEqualTo(browser.findElement(By.id("total-credits")).getText());
        assertThat(Long.parseLong(browser.findElement(By.id("audit-size")).getText())).isPositive();
        HeadlessChromium.screenshot(browser, "issuer-" + suite + "-books");
        browser.findElement(By.id("verify")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("verdict-outcome")));
        assertThat(browser.findElement(By.id("verdict-outcome")).getText()).isEqualTo("VERIFIED");
        assertThat(Long.parseLong(browser.findElement(By.id("verdict-leaves")).getText())).isPositive();
        HeadlessChromium.screenshot(browser, "issuer-" + suite + "-verified");

        browser.findElement(By.linkText("Authorisations")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlContains("/console/authorisations"));
        String table = browser.findElement(By.id("authorisations")).getText();
        assertThat(table).contains(f.cards.get(2).pan().masked()).contains("43.21");
        // The acquirer numbers its own messages to the switch: the issuer's STAN is the one on the row.
        String stan = IssuerConsoleTest.stanOfRow(browser.getPageSource(), f.cards.get(2).pan().masked());
        HeadlessChromium.screenshot(browser, "issuer-" + suite + "-authorisations");
        String digits = f.cards.get(2).pan().digits();
        browser.findElement(By.id("card")).sendKeys(digits.substring(digits.length() - 4));
        browser.findElement(By.id("search")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlContains("card="));
        assertThat(browser.findElements(By.cssSelector("#authorisations tr.authorisation"))).hasSize(1);
        assertThat(browser.findElement(By.cssSelector("#authorisations td.stan")).getText()).isEqualTo(stan);
        assertThat(browser.findElement(By.cssSelector("#authorisations td.amount")).getText()).isEqualTo("43.21");
        HeadlessChromium.screenshot(browser, "issuer-" + suite + "-authorisations-by-card");
      } finally {
        browser.quit();
      }
    }
  }
}
