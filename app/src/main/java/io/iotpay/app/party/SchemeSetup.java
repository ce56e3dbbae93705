package io.iotpay.app.party;

import io.iotpay.acquirer.party.AcquirerParty;
import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.issuer.party.IssuerParty;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.party.LinkKeys;
import io.iotpay.protocol.party.PartyConfigException;
import io.iotpay.protocol.party.PartyFileTrust;
import io.iotpay.protocol.party.PartyFiles;
import io.iotpay.protocol.party.PartyProperties;
import io.iotpay.switching.party.SwitchParty;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code iotpay party init}: one data directory per party of a small card scheme (docs/parties.md).
 * Per link a zone master key and initial ZAK, one copy in each end's sealed party keys;
 * per issuer a card range, an IMK in its sealed custody, card accounts funded in its ledger, and a bank
 * id ({@link #bankId}) the switch routes account verifications by; the scheme CA in the switch's custody
 * and every party's file-signing key in its own, certified by it ({@link PartyFileTrust}); and
 * {@value #CARDS_FILE}, the cards for the test harness and load generator (TEST HARNESS ONLY).
 */
public final class SchemeSetup {
  public static final String CARDS_FILE = "cards.properties";
  public static final String SWITCH_DIR = "switch";
  public static final String SWITCH_PEER = "switch";
  public static final int PARTIES_MAX = 9;
  public static final int CARDS_MAX = 10_000;
  public static final CurrencyUnit CURRENCY = CurrencyUnit.CNY;

  /**
   * @param suites the suites issuers and acquirer links take in turn (one or both)
   * @param basePort the switch's acquirer ports from here, the issuers' from {@code basePort + 10},
   *     the acquirers' terminal ports from {@code basePort + 20}; 0: free ports picked now
   * @param dbUrl null for a SQLite file per party, else a JDBC URL in which {@code {party}} is the
   *     party's directory name
   */
  public record Options(int issuers, int acquirers, int cardsPerIssuer, List<AlgorithmSuite> suites, int basePort,
      long balanceMinor, long standInPerTransactionMinor, long standInPerCardDayMinor, long standInIssuerDayMinor,
      long standInAfterMs, long issuerTimeoutMs, long adviceRetryMs, int terminalsPerAcquirer, String dbUrl) {
    public Options {
      suites = List.copyOf(suites);
      check(issuers >= 1 && issuers <= PARTIES_MAX, "--issuers must be 1.." + PARTIES_MAX);
      check(acquirers >= 1 && acquirers <= PARTIES_MAX, "--acquirers must be 1.." + PARTIES_MAX);
      check(cardsPerIssuer >= 1 && cardsPerIssuer <= CARDS_MAX, "--cards must be 1.." + CARDS_MAX);
      check(!suites.isEmpty(), "no suite");
      check(basePort == 0 || (basePort >= 1024 && basePort <= 65_000), "--base-port must be 0 or 1024..65000");
      check(balanceMinor >= 0 && balanceMinor <= 1_000_000_000_000L, "--balance must be 0..10^12 minor units");
      check(standInPerTransactionMinor >= 0 && standInPerCardDayMinor >= 0 && standInIssuerDayMinor >= 0,
          "stand-in limits must not be negative");
      check(standInAfterMs >= 1 && standInAfterMs < issuerTimeoutMs && issuerTimeoutMs <= 120_000,
          "--stand-in-after-ms must be below --issuer-timeout-ms (at most 120000)");
      check(adviceRetryMs >= 10 && adviceRetryMs <= 600_000, "--advice-retry-ms must be 10..600000");
      check(terminalsPerAcquirer >= 1 && terminalsPerAcquirer <= 100, "--terminals must be 1..100");
    }

    /** Two issuers (one per suite), one acquirer, four cards each, free ports. */
    public static Options defaults() {
      return new Options(2, 1, 4, List.of(AlgorithmSuite.INTERNATIONAL, AlgorithmSuite.NATIONAL), 18_600, 100_000,
          50_000, 100_000, 10_000_000, 2_000, 5_000, 1_000, 1, null);
    }

    public Options withBasePort(int value) {
      return new Options(issuers, acquirers, cardsPerIssuer, suites, value, balanceMinor, standInPerTransactionMinor,
          standInPerCardDayMinor, standInIssuerDayMinor, standInAfterMs, issuerTimeoutMs, adviceRetryMs, terminalsPerAcquirer,
          dbUrl);
    }
  }

  /** What was written: the directories, by party. */
  public record Written(Path switchDir, List<Path> issuerDirs, List<Path> acquirerDirs, Path cardsFile) {}

  private SchemeSetup() {}

  public static String issuerId(int n) {
    return "ISS" + n;
  }

  public static String acquirerId(int n) {
    return "ACQ" + n;
  }

  public static String issuerDir(int n) {
    return "issuer-" + issuerId(n);
  }

  public static String acquirerDir(int n) {
    return "acquirer-" + acquirerId(n);
  }

  /** The card range of issuer {@code n}: 62 then {@code n} in four digits. */
  public static String range(int n) {
    return String.format("62%04d", n);
  }

  /** Acquirer {@code n}'s institution id (field 32). */
  public static String acquirerInstitution(int n) {
    return String.format("4802%04d", n);
  }

  /**
   * The institution id (bank) whose deposit accounts issuer {@code n} holds: {@code 10} then {@code n}
   * then five zeros ({@code 10100000}, {@code 10200000}, …). The switch routes account verifications
   * (the acquirers' penny tests) for it to that issuer; {@code 10200000} is ISS2's, the national issuer
   * of {@code --suite BOTH}, as the merchants' bank of {@code iotpay demo pos} is its national issuer.
   */
  public static String bankId(int n) {
    return String.format("10%d00000", n);
  }

  /** Writes the scheme under {@code dir} (which must not hold one yet). */
  public static Written init(Path dir, Options options, SecureRandom random) throws IOException {
    PartyFiles.ownerOnlyDirectory(dir);
    if (Files.exists(dir.resolve(CARDS_FILE)) || Files.exists(dir.resolve(SWITCH_DIR))) {
      throw new PartyConfigException(dir + " already holds a scheme: set-up writes a new directory only");
    }
    List<Integer> ports = ports(options, 2 * options.acquirers() + options.issuers());
    StringBuilder cards = new StringBuilder()
        .append("# TEST HARNESS ONLY (docs/parties.md): every card's master key for application cryptograms,\n")
        .append("# so a test or the load generator can act as the cards. A real card keeps its keys on the card;\n")
        .append("# never make such a file for real cards.\n");
    List<SwitchParty.AcquirerLink> acquirerLinks = new ArrayList<>();
    List<Path> acquirerDirs = new ArrayList<>();
    for (int a = 1; a <= options.acquirers(); a++) {
      AlgorithmSuite suite = options.suites().get((a - 1) % options.suites().size());
      LinkKeys keys = LinkKeys.generate(suite, random);
      InetSocketAddress listen = loopback(ports.get(a - 1));
      acquirerLinks.add(new SwitchParty.AcquirerLink(acquirerId(a), listen, keys));
      Path acquirerDir = dir.resolve(acquirerDir(a));
      AcquirerParty.init(acquirerDir, new AcquirerParty.Setup(acquirerId(a), suite, acquirerInstitution(a),
          String.format("ACQ%05d", a), listen, keys, loopback(ports.get(options.acquirers() + options.issuers() + a - 1)),
          LinkKeys.generate(suite, random), CURRENCY, options.terminalsPerAcquirer(), 50,
          options.standInAfterMs() + 1_000, db(options, acquirerDir(a)), db(options, acquirerDir(a) + "-registry")), random);
      acquirerDirs.add(acquirerDir);
    }
    List<SwitchParty.IssuerLink> issuerLinks = new ArrayList<>();
    List<Path> issuerDirs = new ArrayList<>();
    YearMonth expiry = YearMonth.now(ZoneOffset.UTC).plusYears(3);
    int cardNumber = 0;
    for (int i = 1; i <= options.issuers(); i++) {
      AlgorithmSuite suite = options.suites().get((i - 1) % options.suites().size());
      LinkKeys keys = LinkKeys.generate(suite, random);
      InetSocketAddress listen = loopback(ports.get(options.acquirers() + i - 1));
      issuerLinks.add(new SwitchParty.IssuerLink(issuerId(i), listen, keys, List.of(range(i)), options.standInAfterMs(),
          options.issuerTimeoutMs(), options.standInPerTransactionMinor(), options.standInPerCardDayMinor(),
          options.standInIssuerDayMinor(), List.of(bankId(i))));
      byte[] imkBytes = new byte[16];
      random.nextBytes(imkBytes);
      SecretKeyBytes imk = new SecretKeyBytes(imkBytes);
      List<IssuerParty.CardSetup> setups = new ArrayList<>();
      for (int k = 0; k < options.cardsPerIssuer(); k++) {
        Pan pan = Pan.withCheckDigit(range(i) + String.format("%09d", k + 1));
        setups.add(new IssuerParty.CardSetup(pan, 1, expiry, options.balanceMinor()));
        SecretKeyBytes mk = EmvKeyDerivation.cardMasterKey(suite, imk, pan.digits(), "01");
        cardNumber++;
        String p = "card." + cardNumber + ".";
        cards.append(p).append("issuer=").append(issuerId(i)).append('\n')
            .append(p).append("suite=").append(suite).append('\n')
            .append(p).append("pan=").append(pan.digits()).append('\n')
            .append(p).append("psn=1\n")
            .append(p).append("expiry=").append(expiry).append('\n')
            .append(p).append("account=").append(k).append('\n')
            .append(p).append("mk=").append(Hex.encode(mk.value())).append('\n');
      }
      String name = issuerDir(i);
      Path issuerDir = dir.resolve(name);
      IssuerParty.init(issuerDir, new IssuerParty.Setup(issuerId(i), suite, listen, String.format("1111%04d", i),
          String.format("ISS%05d", i), CURRENCY, keys, imk, setups, db(options, name)), random);
      issuerDirs.add(issuerDir);
    }
    cards.append("cards=").append(cardNumber).append('\n');
    Path switchDir = dir.resolve(SWITCH_DIR);
    SwitchParty.init(switchDir, new SwitchParty.Setup("SWITCH", "99990000", "SWITCH01", CURRENCY,
        options.suites().get(0), options.adviceRetryMs(), acquirerLinks, issuerLinks, db(options, SWITCH_DIR)), random);
    // The switch's init made the scheme CA (the switch's suite) and enrolled the switch; it certifies every other party's
    // file-signing key, generated in that party's own custody.
    SwitchParty.issueCertificates(switchDir, ca -> {
      PartyFileTrust.Validity validity = PartyFileTrust.Validity.of(ca);
      acquirerDirs.forEach(a -> AcquirerParty.enrolFileSigning(a, ca, validity));
      issuerDirs.forEach(i -> IssuerParty.enrolFileSigning(i, ca, validity));
    });
    Path cardsFile = dir.resolve(CARDS_FILE);
    PartyFiles.writeOwnerOnly(cardsFile, cards.toString());
    return new Written(switchDir, issuerDirs, acquirerDirs, cardsFile);
  }

  /** Reads the harness cards of a scheme directory. */
  public static List<HarnessCard> cards(Path dir) {
    PartyProperties p = PartyProperties.read(dir.resolve(CARDS_FILE), true);
    int count = (int) p.number("cards", 0, (long) CARDS_MAX * PARTIES_MAX);
    p.onlyKeys(key -> key.equals("cards") || key.matches("card\\.[0-9]{1,6}\\.(issuer|suite|pan|psn|expiry|account|mk)"));
    List<HarnessCard> cards = new ArrayList<>();
    for (int n = 1; n <= count; n++) {
      String c = "card." + n + ".";
      Pan pan;
      YearMonth expiry;
      try {
        pan = Pan.of(p.string(c + "pan"));
        expiry = YearMonth.parse(p.string(c + "expiry"));
      } catch (RuntimeException e) {
        throw new PartyConfigException(CARDS_FILE + ": card " + n + " has a bad pan or expiry");
      }
      cards.add(new HarnessCard(p.string(c + "issuer"), p.suite(c + "suite"), pan, (int) p.number(c + "psn", 0, 99),
          expiry, p.key(c + "mk", 16), (int) p.number(c + "account", 0, CARDS_MAX)));
    }
    return List.copyOf(cards);
  }

  /** An acquirer's terminal side, as a terminal of the harness needs it: its port, terminal ids and the terminals' link keys. */
  public record TerminalLink(String institutionId, InetSocketAddress acquirerAddress, List<String> terminalIds, LinkKeys keys) {}

  public static TerminalLink terminalLink(Path acquirerDir) {
    PartyProperties p = PartyProperties.read(acquirerDir.resolve(AcquirerParty.CONFIG_FILE), false);
    PartyProperties keys = AcquirerParty.keys(acquirerDir, p.suite("suite"));
    return new TerminalLink(p.string("institution"), p.address("terminal.listen"), AcquirerParty.terminals(acquirerDir),
        LinkKeys.of(keys, AcquirerParty.TERMINALS_PEER));
  }

  /** An acquirer directory's link to the switch: its config and keys (a harness acting as the acquirer uses it). */
  public record AcquirerLink(String id, String institutionId, String nodeId, InetSocketAddress switchAddress, LinkKeys keys) {}

  public static AcquirerLink acquirerLink(Path acquirerDir) {
    PartyProperties p = PartyProperties.read(acquirerDir.resolve(AcquirerParty.CONFIG_FILE), false);
    PartyProperties keys = AcquirerParty.keys(acquirerDir, p.suite("suite"));
    LinkKeys link = LinkKeys.of(keys, SWITCH_PEER);
    if (link.suite() != p.suite("suite")) {
      throw new PartyConfigException(acquirerDir + ": the link keys' suite differs from the configuration's");
    }
    return new AcquirerLink(p.string("id"), p.matching("institution", java.util.regex.Pattern.compile("[0-9]{1,11}"),
        "1..11 digits"), p.matching("node", java.util.regex.Pattern.compile("[ -~]{8}"), "8 printable characters"),
        p.address("switch"), link);
  }

  private static String db(Options options, String party) {
    return options.dbUrl() == null ? null : options.dbUrl().replace("{party}", party.replace('-', '_').toLowerCase());
  }

  private static InetSocketAddress loopback(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress().getHostAddress(), port);
  }

  private static List<Integer> ports(Options options, int count) throws IOException {
    List<Integer> ports = new ArrayList<>();
    if (options.basePort() != 0) {
      for (int n = 0; n < options.acquirers(); n++) {
        ports.add(options.basePort() + n);
      }
      for (int n = 0; n < options.issuers(); n++) {
        ports.add(options.basePort() + 10 + n);
      }
      for (int n = 0; n < options.acquirers(); n++) {
        ports.add(options.basePort() + 20 + n);
      }
      return ports;
    }
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int n = 0; n < count; n++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        held.add(socket);
        ports.add(socket.getLocalPort());
      }
    } finally {
      for (ServerSocket socket : held) {
        socket.close();
      }
    }
    return ports;
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new InvalidInputException(message);
    }
  }
}
