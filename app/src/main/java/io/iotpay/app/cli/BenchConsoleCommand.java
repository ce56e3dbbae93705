package io.iotpay.app.cli;

import io.iotpay.agent.sdk.DeviceCsr;
import io.iotpay.agent.sdk.SoftwareDeviceSigner;
import io.iotpay.app.iot.IotBooks;
import io.iotpay.app.iot.IotNode;
import io.iotpay.app.iot.IotServer;
import io.iotpay.bench.BenchFiles;
import io.iotpay.bench.iot.Latencies;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.ManualBusinessClock;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountFlags;
import io.iotpay.ledger.AccountResult;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.platform.decision.AuthoriserException;
import io.iotpay.platform.decision.DecisionOutcome;
import io.iotpay.platform.decision.DecisionStoreException;
import io.iotpay.platform.decision.IdempotencyKey;
import io.iotpay.platform.decision.PaymentDecision;
import io.iotpay.platform.decision.PaymentIntent;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.mandate.MandateTerms;
import io.iotpay.platform.mandate.Merchant;
import io.iotpay.platform.operator.UserTokens;
import io.iotpay.platform.risk.RiskConfig;
import io.iotpay.platform.state.DeviceObservation;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iotpay bench console}: how long the operator console's pages take to load with a full
 * database (issue 19: under 300 ms p95 with 100,000 payments and 10,000 devices). Fills a node with
 * devices registered from their CSRs (both suites), a funded account and a mandate each, and payment
 * decisions made by the real decision service (holds at the issuer over ISO 8583, every decision an
 * audit leaf); then loads each page over HTTP with an operator session, beside {@code GET /health}
 * in the same run as the reference, and ends by checking that the books balance and the audit log
 * verifies. Figures on stdout, progress on stderr.
 */
@Command(
    name = "console",
    mixinStandardHelpOptions = true,
    description = {
      "Operator console: page load p50/p95 over HTTP with N devices and M payment decisions in the",
      "database (target p95 < 300 ms with 10,000 devices and 100,000 payments), beside GET /health."
    })
public final class BenchConsoleCommand implements Callable<Integer> {
  private static final CurrencyUnit CNY = CurrencyUnit.CNY;
  private static final long BOOK = 1;
  private static final long FUNDING_ACCOUNT = 100;
  private static final long SHOP_ACCOUNT = 900;
  private static final long FIRST_DEVICE_ACCOUNT = 10_000;
  private static final String SHOP = "shop-1";
  private static final int SETUP_CHUNK = 1_000;
  private static final Instant START = Instant.parse("2026-12-01T08:00:00Z");

  @Spec CommandSpec spec;

  @Option(names = "--devices", description = "devices registered (default: ${DEFAULT-VALUE})")
  int devices = 10_000;

  @Option(names = "--payments", description = "payment decisions made, spread over the devices (default: ${DEFAULT-VALUE})")
  int payments = 100_000;

  @Option(names = "--loads", description = "timed loads of each page per run (default: ${DEFAULT-VALUE})")
  int loads = 100;

  @Option(names = "--runs", description = "runs; the figures are the medians over them (default: ${DEFAULT-VALUE})")
  int runs = 3;

  private final SecureRandom random = new SecureRandom();
  private PrintWriter err;
  /** The audit leaf of the decision half-way through the payments: where a middle page of payments starts. */
  private long middleAuditIndex;

  /** Runs the benchmark alone. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchConsoleCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    err = spec.commandLine().getErr();
    if (devices < 1 || payments < devices || loads < 1 || runs < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "need devices >= 1, payments >= devices, loads >= 1, runs >= 1");
    }
    Path dir = BenchFiles.tempDir("iotpay-bench-console-", "the console bench's database");
    ManualBusinessClock clock = new ManualBusinessClock(START, BusinessDayRule.UTC_MIDNIGHT);
    KeyPair auditKey = AlgorithmSuite.INTERNATIONAL.signature().generateKeyPair(random);
    try (IotNode node = new IotNode(dir.resolve("console.db"), clock, AlgorithmSuite.INTERNATIONAL, auditKey, RiskConfig.defaults(), random)) {
      Map<DecisionOutcome, Long> outcomes = fill(node, clock);
      String token = HexFormat.of().formatHex(randomBytes(32));
      try (IotServer server = IotServer.start(node, new IotServer.Options("127.0.0.1", -1, -1, 0, dir.resolve("server"), token,
          UserTokens.inMemory(Map.of()), (user, account) -> false, randomBytes(32), 2, 256), random)) {
        Map<String, double[]> figures = measure(URI.create("http://127.0.0.1:" + server.http.port()), token);
        boolean balanced = IotBooks.balanced(node.ledger);
        node.auditLog.checkpointNow();
        IotBooks.Audit audit = IotBooks.verifyAudit(node.database, auditKey, AlgorithmSuite.INTERNATIONAL);
        print(spec.commandLine().getOut(), outcomes, figures, balanced, audit);
        return balanced && audit.verified() ? 0 : 1;
      }
    } finally {
      BenchFiles.deleteTree(dir);
    }
  }

  // ---------------------------------------------------------------- the database

  private Map<DecisionOutcome, Long> fill(IotNode node, ManualBusinessClock clock) throws Exception {
    long started = System.nanoTime();
    createAccounts(node, List.of(new Account(FUNDING_ACCOUNT, BOOK, CNY, AccountFlags.NONE), new Account(SHOP_ACCOUNT, BOOK, CNY, AccountFlags.NONE)));
    node.merchants.put(new Merchant(SHOP, "Shop 1", "5399", SHOP_ACCOUNT, null));
    MandateTerms terms = new MandateTerms(cny(5_000), cny(1_000_000), cny(10_000_000), cny(3_000), Set.of(SHOP), Set.of());
    long fundingId = 1;
    for (int from = 0; from < devices; from += SETUP_CHUNK) {
      int to = Math.min(devices, from + SETUP_CHUNK);
      List<Account> accounts = new ArrayList<>();
      List<Transfer> funding = new ArrayList<>();
      for (int i = from; i < to; i++) {
        register(node, clock, i);
        accounts.add(new Account(FIRST_DEVICE_ACCOUNT + i, BOOK, CNY, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS));
        funding.add(Transfer.single(fundingId++, FUNDING_ACCOUNT, FIRST_DEVICE_ACCOUNT + i, 10_000_000));
      }
      createAccounts(node, accounts);
      List<TransferResult> funded = node.ledger.submit(funding).get(60, TimeUnit.SECONDS);
      if (funded.stream().anyMatch(r -> r != TransferResult.OK)) {
        throw new IllegalStateException("funding failed: " + funded.stream().filter(r -> r != TransferResult.OK).findFirst().orElseThrow());
      }
      for (int i = from; i < to; i++) {
        node.mandates.bind("user-" + i, deviceId(i), FIRST_DEVICE_ACCOUNT + i, terms);
      }
      err.printf("bench console: %,d/%,d devices registered from their CSRs, each with a funded account and a mandate%n", to, devices);
    }
    Map<DecisionOutcome, Long> outcomes = new EnumMap<>(DecisionOutcome.class);
    List<PaymentIntent> batch = new ArrayList<>();
    for (int p = 0; p < payments; p++) {
      int device = p % devices;
      long counter = 1 + p / devices;
      // One in ten asks the user (above the mandate's confirmation threshold); the rest are small approvals.
      long amountMinor = p % 10 == 9 ? 4_000 : 150;
      batch.add(new PaymentIntent(new IdempotencyKey(deviceId(device), counter), SHOP, cny(amountMinor), PaymentIntent.DEVICE_REQUEST,
          "order-" + p, false, false));
      if (batch.size() == 4_096 || p == payments - 1) {
        for (PaymentDecision decision : decide(node, batch)) {
          outcomes.merge(decision.outcome(), 1L, Long::sum);
          if (decision.key().counter() == 1 + payments / 2 / devices && decision.key().deviceId().equals(deviceId(devices / 2))) {
            middleAuditIndex = decision.auditIndex();
          }
        }
        batch.clear();
        clock.advance(Duration.ofMinutes(1));
        err.printf("bench console: %,d/%,d payments decided%n", p + 1, payments);
      }
    }
    err.printf("bench console: database filled in %.0f s%n", (System.nanoTime() - started) / 1e9);
    return outcomes;
  }

  /**
   * Decides a batch; when the issuer link refuses it ("send it again": two holds of one window drew the
   * same STAN, a 6-digit hash of the request id), decides its halves apart. Decisions are idempotent by
   * key, so what was already decided is answered again, not decided twice.
   */
  private static List<PaymentDecision> decide(IotNode node, List<PaymentIntent> batch) {
    try {
      return node.decisions.decideAll(batch);
    } catch (DecisionStoreException e) {
      if (!(e.getCause() instanceof AuthoriserException) || batch.size() == 1) {
        throw e;
      }
      List<PaymentDecision> decided = new ArrayList<>(decide(node, batch.subList(0, batch.size() / 2)));
      decided.addAll(decide(node, batch.subList(batch.size() / 2, batch.size())));
      return decided;
    }
  }

  private void register(IotNode node, ManualBusinessClock clock, int i) {
    AlgorithmSuite suite = i % 2 == 0 ? AlgorithmSuite.INTERNATIONAL : AlgorithmSuite.NATIONAL;
    KeyPair keys = suite.signature().generateKeyPair(random);
    node.identity.registerFromCsr(suite, DeviceCsr.create(new SoftwareDeviceSigner(deviceId(i).value(), suite, keys)), clock.now());
    // Online, as if it had connected and sent its first message (the risk engine declines a device never seen).
    node.states.observe(new DeviceObservation.Connected(deviceId(i), clock.now(), "session-" + i));
    node.states.observe(new DeviceObservation.Message(deviceId(i), clock.now(), "session-" + i, 0));
  }

  private static void createAccounts(IotNode node, List<Account> accounts) throws Exception {
    List<AccountResult> results = node.ledger.createAccounts(accounts).get(60, TimeUnit.SECONDS);
    if (results.stream().anyMatch(r -> r != AccountResult.OK)) {
      throw new IllegalStateException("account creation failed: " + results.stream().filter(r -> r != AccountResult.OK).findFirst().orElseThrow());
    }
  }

  private static DeviceId deviceId(int i) {
    return DeviceId.of(String.format("meter-%05d", i));
  }

  private static Money cny(long minor) {
    return Money.ofMinor(minor, CNY);
  }

  private byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    random.nextBytes(bytes);
    return bytes;
  }

  // ---------------------------------------------------------------- the pages

  private Map<String, String> pages() {
    String middle = deviceId(devices / 2).value();
    String last = deviceId(devices - 1).value();
    Map<String, String> pages = new LinkedHashMap<>();
    pages.put("health (reference)", "/health");
    pages.put("devices, first page", "/console/devices");
    pages.put("devices, a middle page", "/console/devices?after=" + middle);
    pages.put("devices, searched by prefix", "/console/devices?q=" + middle.substring(0, middle.length() - 2));
    pages.put("device", "/console/devices/" + last);
    pages.put("payments, newest", "/console/payments");
    pages.put("payments, a middle page", "/console/payments?before=" + middleAuditIndex);
    pages.put("payments of one device", "/console/payments?device=" + middle);
    pages.put("payment with proofs", "/console/payments/" + middle + "/1");
    pages.put("books", "/console/books");
    pages.put("live", "/console/live");
    return pages;
  }

  /** Per page: the median over the runs of {p50, p95} in ms. */
  private Map<String, double[]> measure(URI base, String token) throws Exception {
    ConsoleSession session = ConsoleSession.logIn(base, token);
    Map<String, String> pages = pages();
    Map<String, double[][]> perRun = new LinkedHashMap<>();
    pages.keySet().forEach(name -> perRun.put(name, new double[runs][]));
    for (String path : pages.values()) {
      for (int i = 0; i < 10; i++) {
        session.load(path);  // warm-up: class loading, JIT, SQLite's page cache
      }
    }
    for (int run = 0; run < runs; run++) {
      for (Map.Entry<String, String> page : pages.entrySet()) {
        Latencies latencies = new Latencies(loads);
        for (int i = 0; i < loads; i++) {
          latencies.record(session.load(page.getValue()));
        }
        perRun.get(page.getKey())[run] = new double[] {latencies.quantileMs(0.50), latencies.quantileMs(0.95)};
      }
      err.printf("bench console: run %d/%d done%n", run + 1, runs);
    }
    Map<String, double[]> medians = new LinkedHashMap<>();
    perRun.forEach((name, results) -> medians.put(name, new double[] {median(results, 0), median(results, 1)}));
    return medians;
  }

  private static double median(double[][] results, int column) {
    double[] values = Arrays.stream(results).mapToDouble(r -> r[column]).sorted().toArray();
    return values[values.length / 2];
  }

  private void print(PrintWriter out, Map<DecisionOutcome, Long> outcomes, Map<String, double[]> figures, boolean balanced,
      IotBooks.Audit audit) {
    out.printf("Operator console page loads: %,d devices, %,d payment decisions %s; %d loads per page per run, median of %d runs%n",
        devices, payments, outcomes, loads, runs);
    double reference = figures.get("health (reference)")[1];
    out.printf("%-30s %10s %10s %16s%n", "page", "p50 ms", "p95 ms", "p95 / health p95");
    figures.forEach((name, f) -> out.printf("%-30s %10.1f %10.1f %16.1f%n", name, f[0], f[1], f[1] / reference));
    double worst = figures.entrySet().stream().filter(e -> !e.getKey().startsWith("health")).mapToDouble(e -> e.getValue()[1]).max().orElseThrow();
    out.printf("slowest page p95: %.1f ms (target < 300 ms: %s)%n", worst, worst < 300 ? "met" : "NOT met");
    out.printf("books balance: %s; audit log: %s, %,d leaves%n", balanced ? "yes" : "NO", audit.detail(), audit.leaves());
  }

  /** An operator's console session over {@code java.net.http}: the cookie kept by hand. */
  record ConsoleSession(HttpClient http, URI base, String cookie) {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([A-Za-z0-9_-]+)\"");
    private static final Pattern COOKIE = Pattern.compile("iotpay_console=([A-Za-z0-9_-]+)");

    static ConsoleSession logIn(URI base, String token) throws Exception {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      HttpResponse<String> form = http.send(HttpRequest.newBuilder(base.resolve("/console/login")).build(), HttpResponse.BodyHandlers.ofString());
      String anonymous = find(COOKIE, form.headers().firstValue("Set-Cookie").orElse(""));
      String csrf = find(CSRF, form.body());
      HttpResponse<String> login = http.send(HttpRequest.newBuilder(base.resolve("/console/login"))
          .header("Cookie", "iotpay_console=" + anonymous).header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf + "&token=" + URLEncoder.encode(token, StandardCharsets.UTF_8))).build(),
          HttpResponse.BodyHandlers.ofString());
      if (login.statusCode() != 303) {
        throw new IllegalStateException("console login answered " + login.statusCode());
      }
      return new ConsoleSession(http, base, find(COOKIE, login.headers().firstValue("Set-Cookie").orElse("")));
    }

    /** Loads a page; returns the nanoseconds from sending the request to the last byte of the answer. */
    long load(String path) throws Exception {
      HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).header("Cookie", "iotpay_console=" + cookie).build();
      long started = System.nanoTime();
      HttpResponse<byte[]> answer = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      long nanos = System.nanoTime() - started;
      if (answer.statusCode() != 200) {
        throw new IllegalStateException(path + " answered " + answer.statusCode());
      }
      return nanos;
    }

    private static String find(Pattern pattern, String text) {
      Matcher m = pattern.matcher(text);
      if (!m.find()) {
        throw new IllegalStateException("the console's login did not answer as expected");
      }
      return m.group(1);
    }
  }
}
