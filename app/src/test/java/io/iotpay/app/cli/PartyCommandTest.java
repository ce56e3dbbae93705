package io.iotpay.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.acquirer.party.AcquirerParty;
import io.iotpay.issuer.party.IssuerParty;
import io.iotpay.switching.party.SwitchParty;
import io.iotpay.app.Main;
import io.iotpay.app.party.HarnessCard;
import io.iotpay.app.party.SchemeSetup;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.ledger.audit.AuditSigningKey;
import io.iotpay.protocol.party.PartyFiles;
import io.iotpay.protocol.party.PartyInbox;
import io.iotpay.protocol.party.PartyKeys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code iotpay party} through {@link Main#run}: set-up writes owner-only directories; bad options
 * and bad or unsafe data directories exit 2 with one line naming the problem, and change nothing.
 * (The parties running as processes: {@code io.iotpay.app.party.SchemeProcessesTest}.)
 */
class PartyCommandTest {
  @TempDir Path dir;

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exitCode = Main.run(args);
      return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
  }

  @Test
  void initWritesOneOwnerOnlyDirectoryPerPartyAndRefusesToOverwriteIt() throws Exception {
    Path scheme = dir.resolve("scheme");
    Run init = run("party", "init", "--dir", scheme.toString(), "--issuers", "2", "--cards", "2", "--base-port", "0");
    assertThat(init.exitCode()).as(init.err()).isZero();
    assertThat(init.out()).contains("switch", "issuer-ISS1", "issuer-ISS2", "acquirer-ACQ1", "test harness only");
    for (String party : new String[] {"switch", "issuer-ISS1", "issuer-ISS2", "acquirer-ACQ1"}) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(scheme.resolve(party)))).isEqualTo("rwx------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(scheme.resolve(party).resolve(PartyKeys.NAME))))
          .isEqualTo("rw-------");
      assertThat(scheme.resolve(party).resolve("party.keys")).doesNotExist();
    }
    assertThat(Files.readString(scheme.resolve("cards.properties"))).startsWith("# TEST HARNESS ONLY");
    String before = Files.readString(scheme.resolve("switch").resolve("switch.properties"));

    Run again = run("party", "init", "--dir", scheme.toString(), "--base-port", "0");
    assertThat(again.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(again.err()).contains("already holds a scheme");
    assertThat(Files.readString(scheme.resolve("switch").resolve("switch.properties"))).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"acquirer", "issuer", "switch"})
  void tlsFilesThatDoNotFit_exit2WithOneLine_beforeTheDirectoryIsOpened(String party) {
    String data = dir.resolve("nowhere").toString();
    Run half = run("party", party, "--data-dir", data, "--tls-key", dir.resolve("key.pem").toString());
    assertThat(half.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(half.err().strip()).isEqualTo("iotpay: --tls-cert and --tls-key go together (the certificate and its private key, PEM)");
    Run missing = run("party", party, "--data-dir", data, "--tls-cert", dir.resolve("cert.pem").toString(),
        "--tls-key", dir.resolve("key.pem").toString());
    assertThat(missing.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(missing.err().strip()).isEqualTo("iotpay: TLS certificate " + dir.resolve("cert.pem") + " does not exist");
    assertThat(dir.resolve("nowhere")).doesNotExist();
  }

  @Test
  void badOptionsExit2WithOneLine() {
    Run suite = run("party", "init", "--dir", dir.resolve("s").toString(), "--suite", "OTHER");
    assertThat(suite.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(suite.err().strip()).isEqualTo("iotpay: --suite must be INTERNATIONAL, NATIONAL or BOTH");
    Run issuers = run("party", "init", "--dir", dir.resolve("s").toString(), "--issuers", "0");
    assertThat(issuers.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(issuers.err()).contains("--issuers must be 1..9");
    assertThat(dir.resolve("s").resolve("switch")).doesNotExist();
    Run missing = run("party", "issuer", "--data-dir", dir.resolve("nowhere").toString());
    assertThat(missing.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(missing.err()).contains("issuer.properties: missing (run iotpay party init first)");
    Run listen = run("party", "switch", "--data-dir", dir.toString(), "--listen", "nohostport");
    assertThat(listen.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(listen.err()).contains("--listen is not HOST:PORT");
  }

  @Test
  void aTypoOrAnUnsafeKeyFileStopsThePartyBeforeItStarts() throws Exception {
    Path scheme = dir.resolve("scheme");
    assertThat(run("party", "init", "--dir", scheme.toString(), "--issuers", "1", "--cards", "1", "--base-port", "0")
        .exitCode()).isZero();
    Path issuer = scheme.resolve("issuer-ISS1");
    Path config = issuer.resolve("issuer.properties");
    String good = Files.readString(config);
    Files.writeString(config, good + "hold.timout.ms=5\n");
    Run typo = run("party", "issuer", "--data-dir", issuer.toString());
    assertThat(typo.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(typo.err().strip()).isEqualTo("iotpay: issuer.properties: unknown key hold.timout.ms");
    Files.writeString(config, good);
    Files.setPosixFilePermissions(issuer.resolve(PartyKeys.NAME), PosixFilePermissions.fromString("rw-r--r--"));
    Run open = run("party", "issuer", "--data-dir", issuer.toString());
    assertThat(open.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(open.err()).contains("secrets.sealed is open to group or others").doesNotContain("zmk=");
    Files.setPosixFilePermissions(issuer.resolve(PartyKeys.NAME), PosixFilePermissions.fromString("rw-------"));
    String master = Files.readString(issuer.resolve(PartyFiles.MASTER_KEY_FILE));
    Files.writeString(issuer.resolve(PartyFiles.MASTER_KEY_FILE), master.replace(master.charAt(0), master.charAt(0) == '0' ? '1' : '0'));
    Run wrongMaster = run("party", "issuer", "--data-dir", issuer.toString());
    assertThat(wrongMaster.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(wrongMaster.err()).contains("does not open under this master key");
    Files.writeString(issuer.resolve(PartyFiles.MASTER_KEY_FILE), master);
    Run switchTypo = run("party", "switch", "--data-dir", scheme.resolve("switch").toString(), "--issuer-address",
        "ISS9=127.0.0.1:1");
    assertThat(switchTypo.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(switchTypo.err()).contains("no issuer ISS9");
  }

  @Test
  void dayEndQueuesOneCommandFileAndRefusesABadDateOrDirectory() throws Exception {
    Path scheme = dir.resolve("scheme");
    assertThat(run("party", "init", "--dir", scheme.toString(), "--issuers", "1", "--cards", "1", "--base-port", "0")
        .exitCode()).isZero();
    Path acquirer = scheme.resolve("acquirer-ACQ1");
    Run bad = run("party", "day-end", "--data-dir", acquirer.toString(), "--date", "2026-13-01");
    assertThat(bad.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(bad.err().strip()).isEqualTo("iotpay: --date must be YYYY-MM-DD");
    Run notAcquirer = run("party", "day-end", "--data-dir", scheme.resolve("switch").toString(), "--date", "2026-12-07");
    assertThat(notAcquirer.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(notAcquirer.err()).contains("is not an acquirer's data directory");
    assertThat(acquirer.resolve(PartyInbox.CONTROL_DIR)).doesNotExist();

    Run ok = run("party", "day-end", "--data-dir", acquirer.toString(), "--date", "2026-12-07");
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    Path command = acquirer.resolve(PartyInbox.CONTROL_DIR).resolve("day-end-2026-12-07");
    assertThat(Files.readString(command)).isEqualTo("2026-12-07\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(command))).isEqualTo("rw-------");
    assertThat(PartyInbox.dayEndDate(command)).hasToString("2026-12-07");
  }

  /**
   * ACQ1 is INTERNATIONAL and ACQ2 NATIONAL: each one's printed token opens its own console, not the other's;
   * the switch's printed token opens the switch's console and no acquirer's; ISS1 (INTERNATIONAL) and ISS2
   * (NATIONAL) each have their own, which opens its console and no other's; a directory of no party has none.
   */
  @Test
  void operatorTokenPrintsTheTokenThatOpensThePartysConsole() throws Exception {
    Path scheme = dir.resolve("scheme");
    assertThat(run("party", "init", "--dir", scheme.toString(), "--issuers", "2", "--acquirers", "2", "--cards", "1",
        "--base-port", "0").exitCode()).isZero();
    Run none = run("party", "operator-token", "--data-dir", scheme.toString());
    assertThat(none.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(none.err()).contains("is not an acquirer's, an issuer's or the switch's data directory");
    String iss1 = run("party", "operator-token", "--data-dir", scheme.resolve("issuer-ISS1").toString()).out().strip();
    String iss2 = run("party", "operator-token", "--data-dir", scheme.resolve("issuer-ISS2").toString()).out().strip();
    assertThat(iss1).matches("[0-9a-f]{64}").isNotEqualTo(iss2);
    assertThat(iss2).matches("[0-9a-f]{64}");
    String acq1 = run("party", "operator-token", "--data-dir", scheme.resolve("acquirer-ACQ1").toString()).out().strip();
    String acq2 = run("party", "operator-token", "--data-dir", scheme.resolve("acquirer-ACQ2").toString()).out().strip();
    String switching = run("party", "operator-token", "--data-dir", scheme.resolve("switch").toString()).out().strip();
    assertThat(acq1).matches("[0-9A-Fa-f]{32}").isNotEqualTo(acq2);
    assertThat(switching).matches("[0-9a-f]{64}");
    try (AcquirerParty party = AcquirerParty.start(scheme.resolve("acquirer-ACQ2"), AcquirerParty.Options.none())) {
      String base = "http://127.0.0.1:" + party.registryPort();
      assertThat(consoleLogin(base, acq1)).as("another acquirer's token").isEqualTo(401);
      assertThat(consoleLogin(base, switching)).as("the switch's token").isEqualTo(401);
      assertThat(consoleLogin(base, acq2)).isEqualTo(303);
    }
    try (SwitchParty party = SwitchParty.start(scheme.resolve("switch"), SwitchParty.Options.none())) {
      String base = "http://127.0.0.1:" + party.metricsPort();
      assertThat(consoleLogin(base, acq2)).as("an acquirer's token").isEqualTo(401);
      assertThat(consoleLogin(base, iss1)).as("an issuer's token").isEqualTo(401);
      assertThat(consoleLogin(base, switching)).isEqualTo(303);
    }
    for (String[] issuer : List.of(new String[] {"issuer-ISS1", iss1, iss2}, new String[] {"issuer-ISS2", iss2, iss1})) {
      try (IssuerParty party = IssuerParty.start(scheme.resolve(issuer[0]), IssuerParty.Options.none())) {
        String base = "http://127.0.0.1:" + party.metricsPort();
        assertThat(consoleLogin(base, issuer[2])).as("the other issuer's token").isEqualTo(401);
        assertThat(consoleLogin(base, switching)).as("the switch's token").isEqualTo(401);
        assertThat(consoleLogin(base, issuer[1])).isEqualTo(303);
      }
    }
  }

  /**
   * {@code party pay} against the running parties (in this JVM, over loopback TCP): a payment within the
   * balance is approved end to end, one above it declined 51, each with the card masked; a bad amount or
   * card number is refused before anything is sent. ISS1 INTERNATIONAL, ISS2 NATIONAL: both suites.
   */
  @Test
  void payApprovesAPaymentThroughTheRunningParties_andDeclinesOneOverTheBalance() throws Exception {
    Path scheme = dir.resolve("scheme");
    assertThat(run("party", "init", "--dir", scheme.toString(), "--issuers", "2", "--cards", "1", "--base-port", "0")
        .exitCode()).isZero();
    assertThat(run("party", "pay", "--scheme", scheme.toString(), "--amount", "0").exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(run("party", "pay", "--scheme", scheme.toString(), "--card", "3", "--amount", "100").exitCode())
        .isEqualTo(Main.EXIT_BAD_INPUT);
    try (io.iotpay.issuer.party.IssuerParty iss1 = io.iotpay.issuer.party.IssuerParty.start(scheme.resolve("issuer-ISS1"),
            io.iotpay.issuer.party.IssuerParty.Options.none());
        io.iotpay.issuer.party.IssuerParty iss2 = io.iotpay.issuer.party.IssuerParty.start(scheme.resolve("issuer-ISS2"),
            io.iotpay.issuer.party.IssuerParty.Options.none());
        SwitchParty switching = SwitchParty.start(scheme.resolve("switch"), SwitchParty.Options.none());
        AcquirerParty acquirer = AcquirerParty.start(scheme.resolve("acquirer-ACQ1"), AcquirerParty.Options.none())) {
      for (String card : new String[] {"1", "2"}) {
        Run approved = run("party", "pay", "--scheme", scheme.toString(), "--card", card, "--amount", "1250");
        assertThat(approved.exitCode()).as(approved.out() + approved.err()).isZero();
        assertThat(approved.out()).startsWith("approved ").contains("******");
      }
      Run declined = run("party", "pay", "--scheme", scheme.toString(), "--card", "1", "--amount", "200000"); // above the 100,000 balance
      assertThat(declined.exitCode()).isEqualTo(1);
      assertThat(declined.out()).startsWith("declined 51 ");
      for (HarnessCard card : SchemeSetup.cards(scheme)) {
        assertThat(declined.out() + declined.err()).doesNotContain(card.pan().digits());
      }
    }
  }

  /** Logs in to a console as a browser does (the login page's cookie and CSRF token); the answer's status. */
  private static int consoleLogin(String base, String token) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
    String page = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/console/login")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    java.util.regex.Matcher csrf = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([A-Za-z0-9_-]+)\"").matcher(page);
    assertThat(csrf.find()).isTrue();
    return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/console/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("csrf=" + csrf.group(1) + "&token=" + token)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  /**
   * Under both suites (ISS1, ACQ1 and the switch's store INTERNATIONAL; ISS2, ACQ2 NATIONAL):
   * every party key, opened from its sealed store, and every card master key of the harness file
   * appear nowhere in the parties' directories, neither in hex (either case) nor in base64 nor as raw bytes.
   */
  @Test
  void noPartyKeyIsOnDiskInClear() throws Exception {
    Path scheme = dir.resolve("scheme");
    assertThat(run("party", "init", "--dir", scheme.toString(), "--issuers", "2", "--acquirers", "2", "--cards", "2",
        "--base-port", "0").exitCode()).isZero();
    java.util.Map<String, byte[]> keys = new java.util.LinkedHashMap<>();
    java.util.Map<String, AlgorithmSuite> parties = java.util.Map.of("switch", AlgorithmSuite.INTERNATIONAL,
        "issuer-ISS1", AlgorithmSuite.INTERNATIONAL, "issuer-ISS2", AlgorithmSuite.NATIONAL,
        "acquirer-ACQ1", AlgorithmSuite.INTERNATIONAL, "acquirer-ACQ2", AlgorithmSuite.NATIONAL);
    parties.forEach((party, suite) -> PartyKeys.read(scheme.resolve(party), suite, null).entries().forEach((name, value) -> {
      if (!name.endsWith(".suite") && !name.equals(AuditSigningKey.PUBLIC)) {
        keys.put(party + " " + name, Hex.decode(value));
      }
    }));
    for (HarnessCard card : SchemeSetup.cards(scheme)) {
      keys.put("card " + card.pan().masked(), card.cardMasterKey().value());
    }
    assertThat(keys).hasSizeGreaterThan(20);
    java.util.List<Path> files;
    try (var walk = Files.walk(scheme)) {
      files = walk.filter(Files::isRegularFile).filter(f -> !f.equals(scheme.resolve(SchemeSetup.CARDS_FILE))).toList();
    }
    assertThat(files).anyMatch(f -> f.getFileName().toString().endsWith(".db"));
    for (Path file : files) {
      byte[] bytes = Files.readAllBytes(file);
      String latin = new String(bytes, StandardCharsets.ISO_8859_1);
      keys.forEach((name, key) -> {
        String hex = Hex.encode(key);
        assertThat(latin).as(name + " in " + scheme.relativize(file))
            .doesNotContain(hex.toLowerCase()).doesNotContain(hex.toUpperCase())
            .doesNotContain(java.util.Base64.getEncoder().encodeToString(key).replace("=", ""))
            .doesNotContain(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(key))
            .doesNotContain(new String(key, StandardCharsets.ISO_8859_1));
      });
    }
  }
}
