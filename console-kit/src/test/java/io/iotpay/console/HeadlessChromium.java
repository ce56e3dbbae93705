package io.iotpay.console;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless Chromium for every party's console browser test: the test is skipped, with its
 * reason, where {@code chromium} or {@code chromium-driver} is not installed (CI installs both,
 * {@code .ci/setup.d/70-chromium.sh}); screenshots go to {@code target/console-screenshots}.
 */
public final class HeadlessChromium {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

  private HeadlessChromium() {}

  /** Skips the calling test, saying why, when the browser or its driver is missing. */
  public static void assumeInstalled() {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "no headless browser: " + CHROMIUM + " and " + CHROMEDRIVER + " (Debian's chromium, chromium-driver) are not installed");
  }

  /**
   * A fresh headless browser (skips the test when none is installed); its console messages are kept
   * for {@code browser.manage().logs().get(LogType.BROWSER)}.
   *
   * @param javaScript false to turn JavaScript off (the pages must work without it)
   */
  public static WebDriver start(boolean javaScript) {
    assumeInstalled();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1100",
        "--no-first-run", "--disable-extensions", "--disable-background-networking", "--disable-sync");
    if (!javaScript) {
      options.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
    }
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString()))
        .usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  /** Writes the page as {@code target/console-screenshots/NAME.png}. */
  public static void screenshot(WebDriver browser, String name) throws Exception {
    Files.createDirectories(SCREENSHOTS);
    Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }
}
