package io.iotpay.app.cli;

import io.iotpay.acquirer.party.AcquirerParty;
import io.iotpay.app.party.SchemeSetup;
import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.issuer.party.IssuerParty;
import io.iotpay.protocol.party.PartyInbox;
import io.iotpay.protocol.party.PartyProperties;
import io.iotpay.switching.party.SwitchParty;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iotpay party}: the card scheme's parties as processes of their own over ISO 8583 / TCP
 * (docs/parties.md). {@code init} writes one data directory per party; {@code issuer},
 * {@code switch} and {@code acquirer} run one party on its directory until SIGTERM, printing {@code listening <port>}
 * on stdout when ready.
 */
@Command(
    name = "party",
    mixinStandardHelpOptions = true,
    subcommands = {PartyCommand.Init.class, PartyCommand.Issuer.class, PartyCommand.Switch.class,
        PartyCommand.Acquirer.class, PartyCommand.DayEnd.class, PartyCommand.OperatorToken.class, PartyCommand.Pay.class},
    description = {"Set up and run the card scheme's parties (acquirer, switch, issuer) as separate processes.",
        "See docs/parties.md."})
public final class PartyCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = {"Write one data directory per party under --dir: switch/, issuer-ISSn/, acquirer-ACQn/ and",
          "cards.properties (TEST HARNESS ONLY: the cards' keys, so tests can act as cards)."})
  public static final class Init implements Callable<Integer> {
    @Option(names = "--dir", required = true, description = "the scheme's directory (must not hold a scheme yet)")
    Path dir;

    @Option(names = "--issuers", description = "issuers, 1..9 (default: ${DEFAULT-VALUE})")
    int issuers = 2;

    @Option(names = "--acquirers", description = "acquirers, 1..9 (default: ${DEFAULT-VALUE})")
    int acquirers = 1;

    @Option(names = "--cards", description = "cards per issuer, 1..10000 (default: ${DEFAULT-VALUE})")
    int cards = 4;

    @Option(names = "--suite", description = "INTERNATIONAL, NATIONAL or BOTH (issuers and acquirer links take them in turn; default: ${DEFAULT-VALUE})")
    String suite = "BOTH";

    @Option(names = "--base-port", description = "switch's acquirer ports from here, issuers' from here + 10; 0 = free ports now (default: ${DEFAULT-VALUE})")
    int basePort = 18_600;

    @Option(names = "--balance", description = "each card account's opening balance, minor units (default: ${DEFAULT-VALUE})")
    long balance = 100_000;

    @Option(names = "--stand-in-per-transaction", description = "stand-in limit per transaction, minor units (default: ${DEFAULT-VALUE})")
    long standInPerTransaction = 50_000;

    @Option(names = "--stand-in-per-card-day", description = "stand-in limit per card and day, minor units (default: ${DEFAULT-VALUE})")
    long standInPerCardDay = 100_000;

    @Option(names = "--stand-in-issuer-day", description = "stand-in limit per issuer and day, minor units (default: ${DEFAULT-VALUE})")
    long standInIssuerDay = 10_000_000;

    @Option(names = "--stand-in-after-ms", description = "how long the switch waits for an issuer before stand-in (default: ${DEFAULT-VALUE})")
    long standInAfterMs = 2_000;

    @Option(names = "--issuer-timeout-ms", description = "how long a late issuer answer is still awaited (default: ${DEFAULT-VALUE})")
    long issuerTimeoutMs = 5_000;

    @Option(names = "--advice-retry-ms", description = "how often queued advices are retried (default: ${DEFAULT-VALUE})")
    long adviceRetryMs = 1_000;

    @Option(names = "--terminals", description = "terminals enrolled per acquirer, 1..100 (default: ${DEFAULT-VALUE})")
    int terminals = 1;

    @Option(names = "--db", description = "JDBC URL for every party instead of SQLite files; {party} is replaced by the party's name")
    String db;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      List<AlgorithmSuite> suites = switch (suite.toUpperCase(java.util.Locale.ROOT)) {
        case "BOTH" -> List.of(AlgorithmSuite.INTERNATIONAL, AlgorithmSuite.NATIONAL);
        case "INTERNATIONAL" -> List.of(AlgorithmSuite.INTERNATIONAL);
        case "NATIONAL" -> List.of(AlgorithmSuite.NATIONAL);
        default -> throw new InvalidInputException("--suite must be INTERNATIONAL, NATIONAL or BOTH");
      };
      SchemeSetup.Written written = SchemeSetup.init(dir, new SchemeSetup.Options(issuers, acquirers, cards, suites,
          basePort, balance, standInPerTransaction, standInPerCardDay, standInIssuerDay, standInAfterMs, issuerTimeoutMs,
          adviceRetryMs, terminals, db), new SecureRandom());
      PrintWriter out = spec.commandLine().getOut();
      out.println("switch   " + written.switchDir());
      written.issuerDirs().forEach(d -> out.println("issuer   " + d));
      written.acquirerDirs().forEach(d -> out.println("acquirer " + d));
      out.println("cards    " + written.cardsFile() + " (test harness only)");
      out.flush();
      return 0;
    }
  }

  @Command(name = "day-end", mixinStandardHelpOptions = true,
      description = {"Close an acquirer's business day: writes the command control/day-end-DATE into its data directory.",
          "The running acquirer (or the next one started on the directory) closes the batch once and writes",
          "its presentment file to clearing/out/ (docs/parties.md)."})
  public static final class DayEnd implements Callable<Integer> {
    @Option(names = "--data-dir", required = true, description = "the acquirer's data directory (from 'party init')")
    Path dataDir;

    @Option(names = "--date", required = true, description = "the business day, YYYY-MM-DD")
    String date;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      java.time.LocalDate day;
      try {
        day = java.time.LocalDate.parse(date);
      } catch (java.time.format.DateTimeParseException e) {
        throw new InvalidInputException("--date must be YYYY-MM-DD");
      }
      requireAcquirerDirectory(dataDir);
      Path command = PartyInbox.writeDayEnd(dataDir, day);
      spec.commandLine().getOut().println("day-end " + day + " queued: " + command);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(name = "pay", mixinStandardHelpOptions = true,
      description = {"Send one card payment to a running acquirer as its first terminal: an 0100 with a genuine ARQC made",
          "from the scheme's cards.properties (TEST HARNESS ONLY), through the switch to the card's issuer. Prints",
          "'approved <approval code> <STAN>' (exit 0) or 'declined <response code> <STAN>' (exit 1)."})
  public static final class Pay implements Callable<Integer> {
    @Option(names = "--scheme", required = true, description = "the scheme's directory (from 'party init --dir')")
    Path scheme;

    @Option(names = "--acquirer", description = "the acquirer, 1..9 (default: ${DEFAULT-VALUE})")
    int acquirer = 1;

    @Option(names = "--card", description = "the card's line in cards.properties, 1.. (default: ${DEFAULT-VALUE})")
    int card = 1;

    @Option(names = "--amount", required = true, description = "the amount, minor units (CNY), 1..99,999,999")
    long amountMinor;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      if (amountMinor < 1 || amountMinor > 99_999_999) {
        throw new InvalidInputException("--amount must be 1..99999999 minor units");
      }
      if (acquirer < 1 || acquirer > SchemeSetup.PARTIES_MAX) {
        throw new InvalidInputException("--acquirer must be 1.." + SchemeSetup.PARTIES_MAX);
      }
      Path acquirerDir = scheme.resolve(SchemeSetup.acquirerDir(acquirer));
      requireAcquirerDirectory(acquirerDir);
      List<io.iotpay.app.party.HarnessCard> cards = SchemeSetup.cards(scheme);
      if (card < 1 || card > cards.size()) {
        throw new InvalidInputException("--card must be 1.." + cards.size());
      }
      io.iotpay.app.party.HarnessCard harness = cards.get(card - 1);
      SchemeSetup.TerminalLink link = SchemeSetup.terminalLink(acquirerDir);
      SecureRandom random = new SecureRandom();
      int stan = 1 + random.nextInt(999_999);
      String terminal = link.terminalIds().get(0);
      var tap = harness.authorisation(stan, io.iotpay.foundation.money.Money.ofMinor(amountMinor, SchemeSetup.CURRENCY),
          1 + random.nextInt(60_000), link.institutionId(), terminal, "MERCHANT0000001",
          io.iotpay.protocol.iso8583.MonthDayTime.utc(java.time.Instant.now()));
      try (var client = new io.iotpay.protocol.iso8583.Iso8583Client(
          new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), link.acquirerAddress().getPort()),
          io.iotpay.protocol.iso8583.LinkSettings.defaults(link.institutionId(), terminal).withEchoIntervalMs(0)
              .withRequestTimeoutMs(20_000), link.keys().zoneKeys(), io.iotpay.protocol.iso8583.Iso8583Wire.load())) {
        var outcome = client.send(tap.request());
        PrintWriter out = spec.commandLine().getOut();
        if (outcome instanceof io.iotpay.protocol.iso8583.Outcome.Answered answered
            && answered.response() instanceof io.iotpay.protocol.iso8583.CardResponse response) {
          boolean approved = response.responseCode().approved();
          out.println((approved ? "approved " + response.approvalCode() : "declined " + response.responseCode().code())
              + " " + stan + " (card " + harness.pan().masked() + ")");
          out.flush();
          return approved ? 0 : 1;
        }
        out.println("no answer " + stan + ": " + outcome.getClass().getSimpleName());
        out.flush();
        return 1;
      }
    }
  }

  @Command(name = "operator-token", mixinStandardHelpOptions = true,
      description = {"Print an acquirer's, an issuer's or the switch's operator token (opened from its sealed keys): the",
          "login of its console (http://HOST:PORT/console on its HTTP port) and, for the acquirer and the switch, the",
          "operator API's bearer token (docs/console.md).",
          "A secret: print it only on your own terminal."})
  public static final class OperatorToken implements Callable<Integer> {
    @Option(names = "--data-dir", required = true, description = "the acquirer's, an issuer's or the switch's data directory (from 'party init')")
    Path dataDir;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      if (java.nio.file.Files.isRegularFile(dataDir.resolve(SwitchParty.CONFIG_FILE))) {
        spec.commandLine().getOut().println(SwitchParty.operatorToken(dataDir));
        spec.commandLine().getOut().flush();
        return 0;
      }
      if (java.nio.file.Files.isRegularFile(dataDir.resolve(IssuerParty.CONFIG_FILE))) {
        spec.commandLine().getOut().println(IssuerParty.operatorToken(dataDir));
        spec.commandLine().getOut().flush();
        return 0;
      }
      if (!java.nio.file.Files.isRegularFile(dataDir.resolve(AcquirerParty.CONFIG_FILE))) {
        throw new InvalidInputException(dataDir + " is not an acquirer's, an issuer's or the switch's data directory (no "
            + AcquirerParty.CONFIG_FILE + ", " + IssuerParty.CONFIG_FILE + " or " + SwitchParty.CONFIG_FILE + ")");
      }
      spec.commandLine().getOut().println(AcquirerParty.operatorToken(dataDir));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(name = "issuer", mixinStandardHelpOptions = true,
      description = {"Run an issuer on its data directory until SIGTERM; prints 'listening <port>' when ready.",
          "Master key: env IOTPAY_PARTY_MASTER_KEY (hex), else <data-dir>/master.key."})
  public static final class Issuer implements Callable<Integer> {
    @Option(names = "--data-dir", required = true, description = "the issuer's data directory (from 'party init')")
    Path dataDir;

    @Option(names = "--listen", description = "HOST:PORT to listen on instead of issuer.properties' listen")
    String listen;

    @Option(names = "--db", description = "JDBC URL instead of the data directory's database (e.g. PostgreSQL)")
    String db;

    @Mixin TlsOptions tls = new TlsOptions();

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      io.iotpay.foundation.crypto.TlsIdentity identity = tls.read();
      InetSocketAddress address = listen == null ? null : PartyProperties.address("--listen", listen);
      IssuerParty party = IssuerParty.start(dataDir, new IssuerParty.Options(db, address, null, identity));
      String base = (party.httpTls() ? "https" : "http") + "://127.0.0.1:" + party.metricsPort();
      spec.commandLine().getErr().println("iotpay party: issuer " + party.id() + " metrics (GET /metrics, GET /openapi.json) on port "
          + party.metricsPort() + (party.httpTls() ? " over TLS" : ""));
      spec.commandLine().getErr().println("iotpay party: issuer " + party.id() + " console on " + base
          + "/console (log in with: iotpay party operator-token --data-dir " + dataDir + ")");
      return serve("issuer " + party.id(), party, List.of(party.port()), spec);
    }
  }

  @Command(name = "switch", mixinStandardHelpOptions = true,
      description = {"Run the switch on its data directory until SIGTERM; prints 'listening <port> ...' (one port",
          "per acquirer, in switch.properties' order) when ready."})
  public static final class Switch implements Callable<Integer> {
    @Option(names = "--data-dir", required = true, description = "the switch's data directory (from 'party init')")
    Path dataDir;

    @Option(names = "--listen", description = "HOST:PORT for the first acquirer instead of switch.properties'")
    String listen;

    @Option(names = "--db", description = "JDBC URL instead of the data directory's database (e.g. PostgreSQL)")
    String db;

    @Option(names = "--issuer-address", description = "ISSUER=HOST:PORT: reach this issuer there instead (repeatable)")
    List<String> issuerAddresses = List.of();

    @Mixin TlsOptions tls = new TlsOptions();

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      io.iotpay.foundation.crypto.TlsIdentity identity = tls.read();
      Map<String, InetSocketAddress> overrides = new HashMap<>();
      for (String entry : issuerAddresses) {
        int equals = entry.indexOf('=');
        if (equals <= 0) {
          throw new InvalidInputException("--issuer-address must be ISSUER=HOST:PORT");
        }
        overrides.put(entry.substring(0, equals), PartyProperties.address("--issuer-address", entry.substring(equals + 1)));
      }
      InetSocketAddress address = listen == null ? null : PartyProperties.address("--listen", listen);
      SwitchParty party = SwitchParty.start(dataDir, new SwitchParty.Options(db, address, overrides, identity));
      String base = (party.httpTls() ? "https" : "http") + "://127.0.0.1:" + party.metricsPort();
      spec.commandLine().getErr().println("iotpay party: switch metrics (GET /metrics, GET /openapi.json) on port "
          + party.metricsPort() + (party.httpTls() ? " over TLS" : ""));
      spec.commandLine().getErr().println("iotpay party: switch console on " + base
          + "/console, settlement close POST /v1/settlement/{date}/close (log in with: iotpay party operator-token --data-dir "
          + dataDir + ")");
      return serve("switch", party, party.ports(), spec);
    }
  }

  @Command(name = "acquirer", mixinStandardHelpOptions = true,
      description = {"Run an acquirer (merchant registry and online host) on its data directory until SIGTERM;",
          "prints 'listening <terminal port>' when ready."})
  public static final class Acquirer implements Callable<Integer> {
    @Option(names = "--data-dir", required = true, description = "the acquirer's data directory (from 'party init')")
    Path dataDir;

    @Option(names = "--listen", description = "HOST:PORT for the terminals instead of acquirer.properties' terminal.listen")
    String listen;

    @Option(names = "--db", description = "JDBC URL for the host instead of the data directory's database (e.g. PostgreSQL)")
    String db;

    @Option(names = "--switch-address", description = "HOST:PORT: reach the switch there instead (e.g. through a proxy)")
    String switchAddress;

    @Mixin TlsOptions tls = new TlsOptions();

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      InetSocketAddress address = listen == null ? null : PartyProperties.address("--listen", listen);
      InetSocketAddress switchAt = switchAddress == null ? null : PartyProperties.address("--switch-address", switchAddress);
      AcquirerParty party = AcquirerParty.start(dataDir, new AcquirerParty.Options(db, address, switchAt, tls.read()));
      String base = (party.registryTls() ? "https" : "http") + "://127.0.0.1:" + party.registryPort();
      spec.commandLine().getErr().println("iotpay party: acquirer " + party.id() + " HTTP API (merchants, operator, GET /metrics,"
          + " GET /openapi.json) on port " + party.registryPort() + (party.registryTls() ? " over TLS" : ""));
      spec.commandLine().getErr().println("iotpay party: acquirer " + party.id() + " console on " + base
          + "/console (log in with: iotpay party operator-token --data-dir " + dataDir + ")");
      return serve("acquirer " + party.id(), party, List.of(party.port()), spec);
    }
  }

  /** @throws InvalidInputException when {@code dataDir} holds no acquirer's configuration */
  static void requireAcquirerDirectory(Path dataDir) {
    if (!java.nio.file.Files.isRegularFile(dataDir.resolve(AcquirerParty.CONFIG_FILE))) {
      throw new InvalidInputException(dataDir + " is not an acquirer's data directory (no " + AcquirerParty.CONFIG_FILE + ")");
    }
  }

  /** Prints the ready line, closes {@code party} on SIGTERM/SIGINT (the JVM then exits), else waits for ever. */
  static int serve(String name, AutoCloseable party, List<Integer> ports, CommandSpec spec) throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        party.close();
        err.println("iotpay party: " + name + " stopped");
      } catch (Exception e) {
        err.println("iotpay party: " + name + " did not close cleanly: " + e.getMessage());
      }
      err.flush();
    }, "iotpay-party-shutdown"));
    err.println("iotpay party: " + name + " ready");
    err.flush();
    out.println("listening " + ports.stream().map(String::valueOf).collect(Collectors.joining(" ")));
    out.flush();
    new CountDownLatch(1).await();
    return 0;
  }
}
