package io.iotpay.acquirer.pos.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.acquirer.pos.AcquirerPosServer;
import io.iotpay.acquirer.pos.http.Csrs;
import io.iotpay.acquirer.pos.merchant.AuditEvent;
import io.iotpay.acquirer.pos.merchant.InMemorySettlementAccountCheck;
import io.iotpay.acquirer.pos.merchant.MerchantId;
import io.iotpay.acquirer.pos.merchant.MerchantState;
import io.iotpay.acquirer.pos.merchant.OnboardingService;
import io.iotpay.acquirer.pos.merchant.Registration;
import io.iotpay.acquirer.pos.merchant.SettlementAccount;
import io.iotpay.acquirer.pos.merchant.TerminalId;
import io.iotpay.acquirer.pos.merchant.TransactPermission;
import io.iotpay.acquirer.pos.risk.RiskConfig;
import io.iotpay.acquirer.pos.risk.TerminalRiskService;
import io.iotpay.acquirer.pos.store.OnboardingAuditCheck;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.audit.AuditVerifier;
import io.iotpay.ledger.audit.DatabaseAuditSource;
import io.iotpay.ledger.audit.VerificationReport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openqa.selenium.By;
import io.iotpay.console.HeadlessChromium;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The acquirer's console in a real browser (Debian's headless Chromium via Selenium, JavaScript off, as
 * every page must work without it) against the onboarding server the acquirer party runs
 * ({@link AcquirerPosServer}, on SQLite, with terminal risk sensing): log in, open the review queue,
 * approve the merchant whose penny test was UNDECIDED and see it ACTIVATED with its history audited,
 * reject another, see a terminal's attestation failure and block it. Each outcome is then read from
 * the registry's own records, and the audit log verifies with the onboarding cross-check. Skipped, with
 * the reason, where Chromium or its driver is not installed ({@code .ci/setup.d/70-chromium.sh}).
 * Screenshots go to {@code target/console-screenshots/}.
 */
class AcquirerConsoleBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String TOKEN = "alice-console-token-0123456789abcdef";
  private static final String OPEN_BANK = "10200000";
  private static final String SILENT_BANK = "10300000";

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void approveFromTheReviewQueue_rejectAnother_andBlockARiskyTerminal(AlgorithmSuite suite) throws Exception {
    HeadlessChromium.assumeInstalled();
    String db = "jdbc:sqlite:" + dir.resolve("registry.db");
    InMemorySettlementAccountCheck banks = new InMemorySettlementAccountCheck().open(OPEN_BANK, "6222000011112222").unreachable(SILENT_BANK);
    MerchantId undecided;
    MerchantId failed;
    TerminalId risky;
    try (AcquirerPosServer server = AcquirerPosServer.start(new AcquirerPosServer.Settings(db, "127.0.0.1", 0, suite, dir.resolve("keys"),
        null, Set.of("5812"), Map.of("alice", TOKEN), banks));
        Database riskDb = Database.open("jdbc:sqlite:" + dir.resolve("risk.db"), 2)) {
      OnboardingService onboarding = server.service();
      TerminalRiskService risk = new TerminalRiskService(new RiskConfig(Set.of("00".repeat(32)), 60_000, 60_000, 100, 3_600_000, 900, 50),
          riskDb, onboarding, Clock.systemUTC());
      server.serveMonitoring(risk);
      undecided = register(onboarding, "req-undecided", "Silent Bank Noodles", "91310000MA1K000011", SILENT_BANK, "6222000000000011");
      failed = register(onboarding, "req-failed", "Closed Account Teahouse", "91310000MA1K000012", OPEN_BANK, "6222000000000012");
      MerchantId active = register(onboarding, "req-active", "Open Account Bakery", "91310000MA1K000013", OPEN_BANK, "6222000011112222");
      assertThat(onboarding.findings(undecided)).anyMatch(f -> f.verdict().name().equals("UNDECIDED"));
      assertThat(onboarding.merchant(active).state()).isEqualTo(MerchantState.ACTIVATED);
      risky = onboarding.enrol(active, suite, Csrs.csr(suite, Csrs.keyPair(suite))).terminal().id();
      assertThat(risk.attest(risky, new byte[] {1, 2, 3}).approved()).as("a malformed token").isFalse();

      WebDriver browser = HeadlessChromium.start(false);
      try {
        String base = "http://127.0.0.1:" + server.port();
        logIn(browser, base, suite);
        decide(browser, undecided, "approve", "bank 10300000 confirmed the account by phone", "ACTIVATED");
        HeadlessChromium.screenshot(browser, suite + "-merchant-approved");
        assertThat(browser.findElement(By.id("merchant-history")).getText()).contains("operator:alice").contains("audited")
            .doesNotContain("DOES NOT MATCH");
        browser.findElement(By.linkText("Review queue")).click();
        decide(browser, failed, "reject", "account closed, confirmed by the bank", "REJECTED");
        browser.get(base + "/console/merchants?q=bakery");
        HeadlessChromium.screenshot(browser, suite + "-merchants");
        browser.findElement(By.linkText(active.value())).click();
        browser.findElement(By.id("terminals-link")).click();
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#terminal-" + risky.value() + " .attestation-failures"), "1"));
        assertThat(browser.findElement(By.id("terminal-" + risky.value())).getText()).contains("MALFORMED_TOKEN").contains("REFUSE");
        browser.findElement(By.id("reason-" + risky.value())).sendKeys("attestation tokens malformed");
        browser.findElement(By.id("block-" + risky.value())).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#terminal-" + risky.value() + " .terminal-state"), "BLOCKED"));
        HeadlessChromium.screenshot(browser, suite + "-terminals");
      } finally {
        browser.quit();
      }

      assertThat(onboarding.merchant(undecided).state()).isEqualTo(MerchantState.ACTIVATED);
      AuditEvent approval = last(onboarding.history(undecided));
      assertThat(approval.actor()).isEqualTo("operator:alice");
      assertThat(approval.reason()).isEqualTo("bank 10300000 confirmed the account by phone");
      assertThat(onboarding.merchant(failed).state()).isEqualTo(MerchantState.REJECTED);
      assertThat(last(onboarding.history(failed)).actor()).isEqualTo("operator:alice");
      assertThat(onboarding.mayTransact(risky)).isInstanceOfSatisfying(TransactPermission.Refused.class,
          r -> assertThat(r.reason()).isEqualTo(TransactPermission.RefusalReason.TERMINAL_BLOCKED));
      server.auditLog().checkpointNow();
    }
    try (Database database = Database.open(db, 2)) {
      DatabaseAuditSource source = DatabaseAuditSource.of(database);
      VerificationReport report = AuditVerifier.verify(source, AuditVerifier.keysOf(source), OnboardingAuditCheck.of(database));
      assertThat(report.verified()).as(String.valueOf(report.failure())).isTrue();
    }
  }

  private static MerchantId register(OnboardingService onboarding, String requestId, String name, String licence, String bank,
      String account) {
    return onboarding.register(requestId, new Registration(name, licence, "3101011990010" + licence.substring(13), "5812", "1 Road",
        new SettlementAccount(bank, account))).merchant().id();
  }

  private static void logIn(WebDriver browser, String base, AlgorithmSuite suite) throws Exception {
    browser.get(base + "/console/review-queue");
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlContains("/console/login"));
    HeadlessChromium.screenshot(browser, suite + "-login");
    browser.findElement(By.id("token")).sendKeys(TOKEN);
    browser.findElement(By.id("login")).click();
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlContains("/console/review-queue"));
    HeadlessChromium.screenshot(browser, suite + "-review-queue");
  }

  /** From the review queue: opens the merchant, gives the reason, presses the action, waits for the new state. */
  private static void decide(WebDriver browser, MerchantId merchant, String action, String reason, String state) {
    assertThat(browser.findElement(By.id("review-" + merchant.value())).getText()).contains("SETTLEMENT_ACCOUNT");
    browser.findElement(By.linkText(merchant.value())).click();
    browser.findElement(By.id("reason")).sendKeys(reason);
    browser.findElement(By.id(action)).click();
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBe(By.id("merchant-state"), state));
  }

  private static AuditEvent last(List<AuditEvent> history) {
    return history.get(history.size() - 1);
  }


}
