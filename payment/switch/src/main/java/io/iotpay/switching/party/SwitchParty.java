package io.iotpay.switching.party;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.TlsIdentity;
import io.iotpay.foundation.custody.SoftwareKeyCustody;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.LinkSettings;
import io.iotpay.protocol.party.LinkKeys;
import io.iotpay.protocol.party.PartyConfigException;
import io.iotpay.protocol.party.PartyFileTrust;
import io.iotpay.protocol.party.PartyFiles;
import io.iotpay.protocol.party.PartyInbox;
import io.iotpay.protocol.party.PartyKeys;
import io.iotpay.protocol.party.PartyProperties;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.pki.PartyRole;
import io.iotpay.protocol.pki.SchemeCa;
import io.iotpay.protocol.transit.CardRange;
import io.iotpay.switching.online.AcquirerEndpoint;
import io.iotpay.switching.online.IssuerEndpoint;
import io.iotpay.switching.online.OnlineClearing;
import io.iotpay.switching.online.OnlineSwitch;
import io.iotpay.switching.online.OnlineSwitchConfig;
import io.iotpay.switching.online.SettlementClose;
import io.iotpay.switching.online.SettlementWindowStore;
import io.iotpay.switching.online.StandInLimits;
import io.iotpay.switching.online.StoreKeys;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The scheme's switch as a party of its own (docs/parties.md): {@link OnlineSwitch} on its own
 * database, one listening port per acquirer, one link per issuer, stand-in limits and card ranges
 * from {@code switch.properties}, link and store keys from its sealed party keys ({@link PartyKeys}).
 * On a restart the advice queue left in the database is delivered again at once.
 */
public final class SwitchParty implements AutoCloseable {
  public static final String CONFIG_FILE = "switch.properties";
  /** The party's keys, sealed under its master key ({@link PartyKeys}). */
  public static final String KEYS_FILE = PartyKeys.NAME;
  public static final String DATABASE_FILE = "switch.db";
  private static final Set<String> CONFIG_KEYS = Set.of("id", "institution", "node", "currency", "store.suite",
      "advice.retry.ms", "acquirers", "issuers", "db");
  /** The console's and the settlement API's operator token, in the sealed party keys (64 hex digits). */
  static final String OPERATOR_TOKEN = "console.operator.token";
  private static final Set<String> KEY_NAMES = Set.of("store.pan.hash", "store.seal", "store.seal.mac", OPERATOR_TOKEN);
  private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{64}");
  /** The signer the file log shows for a file whose signature did not verify (or was not checked). */
  static final String NOT_VERIFIED = "not verified";
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,11}");
  private static final Pattern NODE = Pattern.compile("[ -~]{8}");
  private static final Pattern PREFIX = Pattern.compile("[0-9]{1,11}");
  private static final int POOL_SIZE = 4;

  /** One acquirer link at set-up. */
  public record AcquirerLink(String id, InetSocketAddress listen, LinkKeys keys) {}

  /**
   * One issuer link at set-up.
   *
   * @param standInPerTransactionMinor stand-in limits in the switch's currency (minor units)
   * @param institutions the institution ids (banks) whose account verifications, the acquirers' penny
   *     tests, go to this issuer ({@code issuer.<id>.institutions}); empty for none
   */
  public record IssuerLink(String id, InetSocketAddress address, LinkKeys keys, List<String> ranges, long standInAfterMs,
      long requestTimeoutMs, long standInPerTransactionMinor, long standInPerCardDayMinor, long standInIssuerDayMinor,
      List<String> institutions) {
    public IssuerLink {
      ranges = List.copyOf(ranges);
      institutions = List.copyOf(institutions);
    }

    /** An issuer that holds no institution (no account verifications routed to it). */
    public IssuerLink(String id, InetSocketAddress address, LinkKeys keys, List<String> ranges, long standInAfterMs,
        long requestTimeoutMs, long standInPerTransactionMinor, long standInPerCardDayMinor, long standInIssuerDayMinor) {
      this(id, address, keys, ranges, standInAfterMs, requestTimeoutMs, standInPerTransactionMinor, standInPerCardDayMinor,
          standInIssuerDayMinor, List.of());
    }
  }

  /** What {@link #init} writes. */
  public record Setup(String id, String institutionId, String nodeId, CurrencyUnit currency, AlgorithmSuite storeSuite,
      long adviceRetryMs, List<AcquirerLink> acquirers, List<IssuerLink> issuers, String dbUrl) {
    public Setup {
      acquirers = List.copyOf(acquirers);
      issuers = List.copyOf(issuers);
    }
  }

  /**
   * How {@link #start} may override the data directory's files.
   *
   * @param dbUrl another database (JDBC URL), or null
   * @param listen where the first acquirer's port listens, or null
   * @param issuerAddresses issuer id → where to reach it instead (e.g. through a proxy)
   * @param tls the HTTP listener's TLS key and certificate (settlement API, console, metrics and
   *     {@code /openapi.json} over TLS only), or null for plain HTTP
   */
  public record Options(String dbUrl, InetSocketAddress listen, Map<String, InetSocketAddress> issuerAddresses,
      TlsIdentity tls) {
    public Options {
      issuerAddresses = Map.copyOf(issuerAddresses);
    }

    /** Plain HTTP. */
    public Options(String dbUrl, InetSocketAddress listen, Map<String, InetSocketAddress> issuerAddresses) {
      this(dbUrl, listen, issuerAddresses, null);
    }

    public static Options none() {
      return new Options(null, null, Map.of());
    }
  }

  private final OnlineSwitch online;
  private final OnlineClearing clearing;
  private final PartyInbox inbox;
  private final Database database;
  private final List<PartyId> acquirers;
  private final List<PartyId> issuers;
  private final SwitchHttp http;
  private final SettlementClose settlement;
  /** The switch's custody (CA and file-signing keys); null for a directory written before signed files. */
  private final SoftwareKeyCustody custody;

  private SwitchParty(OnlineSwitch online, Database database, List<PartyId> acquirers, List<PartyId> issuers,
      OnlineClearing clearing, PartyInbox inbox, SwitchHttp http, SettlementClose settlement, SoftwareKeyCustody custody) {
    this.custody = custody;
    this.http = http;
    this.settlement = settlement;
    this.online = online;
    this.clearing = clearing;
    this.inbox = inbox;
    this.database = database;
    this.acquirers = acquirers;
    this.issuers = issuers;
  }

  /** Writes a new switch data directory: {@code switch.properties}, the master key and the sealed party keys. */
  public static void init(Path dataDir, Setup setup, SecureRandom random) {
    PartyFiles.ownerOnlyDirectory(dataDir);
    if (dataDir.resolve(CONFIG_FILE).toFile().exists()) {
      throw new PartyConfigException(dataDir.resolve(CONFIG_FILE) + " exists: set-up writes a new directory only");
    }
    StringBuilder keys = new StringBuilder("# switch " + setup.id() + ": link and store keys, owner-only\n");
    for (String name : List.of("store.pan.hash", "store.seal", "store.seal.mac")) {
      byte[] key = new byte[16];
      random.nextBytes(key);
      keys.append(name).append('=').append(Hex.encode(key)).append('\n');
    }
    byte[] token = new byte[32];
    random.nextBytes(token);
    keys.append(OPERATOR_TOKEN).append('=').append(java.util.HexFormat.of().formatHex(token)).append('\n');
    StringBuilder config = new StringBuilder("# iotpay switch party (docs/parties.md)\n")
        .append("id=").append(setup.id()).append('\n')
        .append("institution=").append(setup.institutionId()).append('\n')
        .append("node=").append(setup.nodeId()).append('\n')
        .append("currency=").append(setup.currency().alphaCode()).append('\n')
        .append("store.suite=").append(setup.storeSuite()).append('\n')
        .append("advice.retry.ms=").append(setup.adviceRetryMs()).append('\n')
        .append("acquirers=").append(String.join(",", setup.acquirers().stream().map(AcquirerLink::id).toList())).append('\n')
        .append("issuers=").append(String.join(",", setup.issuers().stream().map(IssuerLink::id).toList())).append('\n');
    if (setup.dbUrl() != null) {
      config.append("db=").append(setup.dbUrl()).append('\n');
    }
    for (AcquirerLink a : setup.acquirers()) {
      config.append("acquirer.").append(a.id()).append(".listen=").append(hostPort(a.listen())).append('\n');
      keys.append(a.keys().lines(a.id()));
    }
    for (IssuerLink i : setup.issuers()) {
      String p = "issuer." + i.id() + ".";
      config.append(p).append("address=").append(hostPort(i.address())).append('\n')
          .append(p).append("ranges=").append(String.join(",", i.ranges())).append('\n')
          .append(p).append("standin.after.ms=").append(i.standInAfterMs()).append('\n')
          .append(p).append("request.timeout.ms=").append(i.requestTimeoutMs()).append('\n')
          .append(p).append("standin.per.transaction.minor=").append(i.standInPerTransactionMinor()).append('\n')
          .append(p).append("standin.per.card.day.minor=").append(i.standInPerCardDayMinor()).append('\n')
          .append(p).append("standin.issuer.day.minor=").append(i.standInIssuerDayMinor()).append('\n');
      if (!i.institutions().isEmpty()) {
        config.append(p).append("institutions=").append(String.join(",", i.institutions())).append('\n');
      }
      keys.append(i.keys().lines(i.id()));
    }
    PartyKeys.write(dataDir, setup.storeSuite(), keys.toString(), random);
    // The scheme CA (the switch runs it) and the switch's own file-signing key, both in its custody.
    try (SoftwareKeyCustody custody = custody(dataDir, setup.storeSuite())) {
      PartyFileTrust.Validity validity = PartyFileTrust.Validity.from(Clock.systemUTC());
      SchemeCa ca = PartyFileTrust.createCa(custody, dataDir, setup.storeSuite(), validity);
      PartyFileTrust.enrol(ca, custody, dataDir, PartyId.of(setup.id()), PartyRole.SWITCH, validity);
    }
    PartyFiles.writeOwnerOnly(dataDir.resolve(CONFIG_FILE), config.toString());
    config(dataDir, Options.none()); // what was written parses
  }

  /**
   * Opens the scheme CA of a switch data directory (its key in the switch's custody, under the switch's
   * master key) for {@code issuing}, e.g. {@link PartyFileTrust#enrol} of the other parties at set-up, and
   * closes it again.
   *
   * @throws PartyConfigException when the directory holds no CA, or the master key or custody is wrong
   */
  public static void issueCertificates(Path dataDir, Consumer<SchemeCa> issuing) {
    AlgorithmSuite storeSuite = PartyProperties.read(dataDir.resolve(CONFIG_FILE), false)
        .onlyKeys(PartyProperties.keys(CONFIG_KEYS, "acquirer.", "issuer.")).suite("store.suite");
    try (SoftwareKeyCustody custody = custody(dataDir, storeSuite)) {
      issuing.accept(PartyFileTrust.openCa(custody, dataDir));
    }
  }

  /** The switch's key custody ({@code custody/keys.sealed}): the scheme CA's key and the switch's file-signing key. */
  private static SoftwareKeyCustody custody(Path dataDir, AlgorithmSuite storeSuite) {
    return PartyKeys.openCustody(dataDir, storeSuite);
  }

  /** Opens the data directory, migrates the database and starts listening and delivering advices. */
  public static SwitchParty start(Path dataDir, Options options) throws IOException {
    Parsed parsed = config(dataDir, options);
    // A directory written before signed files has no certificate: the switch then takes no file (refused, logged).
    SoftwareKeyCustody custody = PartyFileTrust.enrolled(dataDir) ? custody(dataDir, parsed.storeSuite()) : null;
    Database database;
    FileTrust trust;
    try {
      trust = custody == null ? null : PartyFileTrust.open(dataDir, custody, PartyId.of(parsed.id()), PartyRole.SWITCH);
      database = Database.open(parsed.dbUrl(), POOL_SIZE);
    } catch (RuntimeException e) {
      if (custody != null) {
        custody.close();
      }
      throw e;
    }
    OnlineSwitch online = null;
    SwitchHttp http = null;
    try {
      online = new OnlineSwitch(parsed.config(), database, Iso8583Wire.load()).start();
      List<PartyId> issuerIds = parsed.config().issuers().stream().map(IssuerEndpoint::issuer).toList();
      SwitchMetrics metrics = SwitchMetrics.start(parsed.id(), online, issuerIds);
      List<PartyId> acquirerIds = parsed.config().acquirers().stream().map(AcquirerEndpoint::acquirer).toList();
      OnlineClearing clearing = new OnlineClearing(new OnlineClearing.Config(PartyId.of(parsed.id()), parsed.currency(),
          parsed.config().ranges(), acquirerIds, FileLimits.defaults()), database, parsed.config().storeKeys(),
          PartyFiles.ownerOnlyDirectory(PartyInbox.out(dataDir)), trust);
      SettlementWindowStore windows = new SettlementWindowStore(database);
      SettlementClose settlement = new SettlementClose(clearing, windows, parsed.currency(), issuerIds, acquirerIds,
          Clock.systemUTC());
      InetSocketAddress near = parsed.config().acquirers().get(0).listen();
      http = SwitchHttp.start(new InetSocketAddress(near.getHostString(), 0), metrics::scrape, windows, settlement,
          parsed.currency().minorDigits(), parsed.operatorToken(), Clock.systemUTC(), options.tls());
      OnlineSwitch running = online;
      FileLog log = new FileLog(windows, Clock.systemUTC(), parsed.id());
      boolean signed = trust != null;
      PartyInbox inbox = PartyInbox.start(parsed.id(), List.of(new PartyInbox.Watch(PartyInbox.in(dataDir),
          file -> intake(running, clearing, signed, metrics, log, file))), PartyInbox.INTERVAL_MS_DEFAULT);
      return new SwitchParty(online, database, acquirerIds, issuerIds, clearing, inbox, http, settlement, custody);
    } catch (RuntimeException | IOException e) {
      if (http != null) {
        http.close();
      }
      if (online != null) {
        online.close();
      }
      database.close();
      if (custody != null) {
        custody.close();
      }
      throw e;
    }
  }

  /** The first acquirer's port. */
  public int port() {
    return online.port(acquirers.get(0));
  }

  /** Every acquirer's port, in configuration order. */
  public List<Integer> ports() {
    return acquirers.stream().map(online::port).toList();
  }

  public int port(String acquirer) {
    return online.port(PartyId.of(acquirer));
  }

  public List<PartyId> issuers() {
    return issuers;
  }

  /**
   * The HTTP listener's port: {@code GET /metrics} (docs/metrics.md), the settlement API, the
   * operator console at {@code /console} (docs/console.md) and {@code GET /openapi.json}.
   */
  public int metricsPort() {
    return http.port();
  }

  /** Whether the HTTP listener runs TLS ({@link Options#tls()}). */
  public boolean httpTls() {
    return http.tls();
  }

  /** The routes the HTTP listener registered, {@code "METHOD /path/{param}"} (the OpenAPI test compares them). */
  public List<String> httpRoutes() {
    return http.routes();
  }

  /** Closes business dates into settlement windows (docs/console.md, "The switch's console"). */
  public SettlementClose settlement() {
    return settlement;
  }

  /**
   * The switch's operator token of a data directory, opened from its sealed keys: the console's login
   * and the settlement API's bearer token. A secret.
   *
   * @throws PartyConfigException when the directory is not a switch's or its keys hold no token
   */
  public static String operatorToken(Path dataDir) {
    String token = config(dataDir, Options.none()).operatorToken();
    if (token == null) {
      throw new PartyConfigException(KEYS_FILE + ": no " + OPERATOR_TOKEN + " (a switch directory written before the console)");
    }
    return token;
  }

  /** The switch itself (stand-in, advices, the message log). */
  public OnlineSwitch online() {
    return online;
  }

  /** Stops listening, writes the log queue, closes the links and the database. */
  @Override
  public void close() {
    http.close();
    inbox.close();
    online.close();
    database.close();
    if (custody != null) {
      custody.close();
    }
  }

  /** Online clearing on the switch's database (docs/online-clearing.md). */
  public OnlineClearing clearing() {
    return clearing;
  }

  /**
   * A file in {@code clearing/in/}, taken only with a valid signature ({@code <file>.sig}) by its
   * sender (docs/signed-files.md), checked before a byte of it is parsed: an issuer's
   * {@code presentment-result-…} is recorded ({@link OnlineClearing#recordIssuerResults}, once; the
   * same file again is refused REPLAYED); anything else is taken as an acquirer's presentment file
   * ({@link OnlineClearing#accept}: the same file again is REPLAYED and changes nothing), after which
   * the day's issuer files not yet written are written, signed, to {@code clearing/out/}. Both steps
   * are idempotent, so a kill -9 in between is repaired by taking the file again at the next start.
   * Without a file-signing certificate ({@code signed} false) every file is refused.
   */
  private static PartyInbox.Outcome intake(OnlineSwitch online, OnlineClearing clearing, boolean signed,
      SwitchMetrics metrics, FileLog log, Path file) throws Exception {
    boolean result = file.getFileName().toString().startsWith("presentment-result-");
    if (!signed) {
      log.refusedUnenrolled(file, result);
      return PartyInbox.Outcome.REFUSED;
    }
    if (result) {
      try {
        log.issuerResults(file, clearing.recordIssuerResults(file));
        return PartyInbox.Outcome.DONE;
      } catch (ProtocolException e) { // its signature (SignedFileException), a damaged file or one for another party
        log.issuerResultsRefused(file, e);
        return PartyInbox.Outcome.REFUSED;
      }
    }
    if (!online.flushLog(10_000)) {
      throw new IOException("the message log did not flush");
    }
    OnlineClearing.Intake intake = clearing.accept(file);
    metrics.cleared(intake);
    log.presentments(file, intake);
    if (intake.header() != null) {
      log.issuerFiles(clearing.writeIssuerFiles(intake.header().businessDate()));
    }
    return intake.taken() || intake.refusal() == OnlineClearing.Refusal.REPLAYED ? PartyInbox.Outcome.DONE
        : PartyInbox.Outcome.REFUSED;
  }

  private static String hostPort(InetSocketAddress address) {
    return address.getHostString() + ":" + address.getPort();
  }

  private record Parsed(OnlineSwitchConfig config, String dbUrl, String id, CurrencyUnit currency, String operatorToken,
      AlgorithmSuite storeSuite) {
    @Override
    public String toString() {
      return "Parsed[id=" + id + "]"; // never the token
    }
  }

  private static Parsed config(Path dataDir, Options options) {
    PartyProperties p = PartyProperties.read(dataDir.resolve(CONFIG_FILE), false)
        .onlyKeys(PartyProperties.keys(CONFIG_KEYS, "acquirer.", "issuer."));
    String institution = p.matching("institution", DIGITS, "1..11 digits");
    String node = p.matching("node", NODE, "8 printable characters");
    CurrencyUnit currency;
    try {
      currency = CurrencyUnit.of(p.string("currency"));
    } catch (RuntimeException e) {
      throw new PartyConfigException(CONFIG_FILE + ": currency is not a known ISO 4217 code");
    }
    AlgorithmSuite storeSuite = p.suite("store.suite");
    PartyProperties keys = PartyKeys.read(dataDir, storeSuite, null).onlyKeys(PartyProperties.keys(KEY_NAMES, "link."));
    StoreKeys storeKeys = new StoreKeys(storeSuite, keys.key("store.pan.hash", 16), keys.key("store.seal", 16),
        keys.key("store.seal.mac", 16));
    List<String> acquirerIds = p.ids("acquirers");
    List<String> issuerIds = p.ids("issuers");
    Set<String> known = new java.util.HashSet<>(CONFIG_KEYS);
    List<AcquirerEndpoint> acquirers = new ArrayList<>();
    for (int n = 0; n < acquirerIds.size(); n++) {
      String id = acquirerIds.get(n);
      String key = "acquirer." + id + ".listen";
      known.add(key);
      InetSocketAddress listen = n == 0 && options.listen() != null ? options.listen() : p.address(key);
      acquirers.add(new AcquirerEndpoint(PartyId.of(id), listen, LinkSettings.defaults(institution, node),
          LinkKeys.of(keys, id).zoneKeys()));
    }
    List<IssuerEndpoint> issuers = new ArrayList<>();
    List<CardRange> ranges = new ArrayList<>();
    Map<String, PartyId> institutions = new HashMap<>();
    for (String id : issuerIds) {
      String prefix = "issuer." + id + ".";
      // Optional: institution ids whose account verifications (the acquirers' penny tests) go to this issuer.
      if (p.has(prefix + "institutions")) {
        for (String institutionId : p.string(prefix + "institutions").split(",", -1)) {
          if (!DIGITS.matcher(institutionId.strip()).matches()
              || institutions.put(institutionId.strip(), PartyId.of(id)) != null) {
            throw new PartyConfigException(CONFIG_FILE + ": " + prefix + "institutions holds an id that is not 1..11"
                + " digits or that another issuer holds");
          }
        }
      }
      for (String k : List.of("address", "ranges", "institutions", "standin.after.ms", "request.timeout.ms",
          "standin.per.transaction.minor", "standin.per.card.day.minor", "standin.issuer.day.minor")) {
        known.add(prefix + k);
      }
      InetSocketAddress address = options.issuerAddresses().containsKey(id) ? options.issuerAddresses().get(id)
          : p.address(prefix + "address");
      long timeout = p.number(prefix + "request.timeout.ms", 2, 120_000, 10_000);
      long after = p.number(prefix + "standin.after.ms", 1, timeout - 1, IssuerEndpoint.STAND_IN_AFTER_MS_DEFAULT);
      StandInLimits limits = new StandInLimits(
          Money.ofMinor(p.number(prefix + "standin.per.transaction.minor", 0, Long.MAX_VALUE / 4), currency),
          Money.ofMinor(p.number(prefix + "standin.per.card.day.minor", 0, Long.MAX_VALUE / 4), currency),
          Money.ofMinor(p.number(prefix + "standin.issuer.day.minor", 0, Long.MAX_VALUE / 4), currency));
      LinkSettings settings = LinkSettings.defaults(institution, node).withRequestTimeoutMs(timeout).withEchoIntervalMs(0);
      issuers.add(new IssuerEndpoint(PartyId.of(id), address, settings, LinkKeys.of(keys, id).zoneKeys(), after, limits));
      for (String range : p.ids(prefix + "ranges")) {
        if (!PREFIX.matcher(range).matches()) {
          throw new PartyConfigException(CONFIG_FILE + ": " + prefix + "ranges holds a prefix that is not 1..11 digits");
        }
        ranges.add(new CardRange(range, PartyId.of(id)));
      }
    }
    for (String unknownIssuer : options.issuerAddresses().keySet()) {
      if (!issuerIds.contains(unknownIssuer)) {
        throw new PartyConfigException("no issuer " + unknownIssuer + " in " + CONFIG_FILE);
      }
    }
    p.onlyKeys(known::contains);
    try {
      OnlineSwitchConfig config = OnlineSwitchConfig.defaults(acquirers, issuers, ranges, storeKeys)
          .withAdviceRetryMs(p.number("advice.retry.ms", 10, 600_000, OnlineSwitchConfig.ADVICE_RETRY_MS_DEFAULT))
          .withInstitutions(institutions);
      String db = options.dbUrl() != null ? options.dbUrl()
          : p.string("db", "jdbc:sqlite:" + dataDir.resolve(DATABASE_FILE).toAbsolutePath());
      return new Parsed(config, db, p.matching("id", Pattern.compile("[A-Z0-9-]{1,16}"), "a party id (A-Z, 0-9, -; 1..16)"),
          currency, keys.has(OPERATOR_TOKEN) ? keys.matching(OPERATOR_TOKEN, TOKEN, "an operator token of 64 hex digits") : null,
          storeSuite);
    } catch (AssertionError e) {
      throw new PartyConfigException(CONFIG_FILE + ": " + e.getMessage());
    }
  }

}
