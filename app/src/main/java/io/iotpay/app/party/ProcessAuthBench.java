package io.iotpay.app.party;

import io.iotpay.bench.BenchFiles;
import com.sun.management.OperatingSystemMXBean;
import io.iotpay.bench.auth.AuthBench;
import io.iotpay.foundation.money.Money;
import io.iotpay.issuer.party.IssuerParty;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.LinkSettings;
import io.iotpay.protocol.iso8583.MonthDayTime;
import io.iotpay.protocol.iso8583.Outcome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * {@code iotpay bench auth} in its default form: the scheme's parties as three child JVMs
 * ({@code iotpay party issuer|switch|acquirer} on a scheme {@link SchemeSetup#init} wrote in a
 * temporary directory) and the load generator in this JVM, sending 0100s as the acquirer's
 * terminals to its terminal port: terminal → acquirer → switch → issuer → hold → 0110 back, every
 * link MACed ISO 8583 over loopback TCP. The cards are the {@link HarnessCard}s of the scheme's
 * {@code cards.properties} (TEST HARNESS ONLY). CPU per authorisation per process from each child's
 * {@link ProcessHandle.Info#totalCpuDuration()} and this JVM's CPU time over the measured window.
 * The money check reads the stopped issuer's ledger ({@link IssuerParty#books(Path, String)}).
 * The children are stopped on every exit: in a {@code finally} and, should this JVM be ended
 * first, by a shutdown hook.
 */
public final class ProcessAuthBench {
  private static final long AMOUNT_MINOR = 100;
  private static final Duration START_WAIT = Duration.ofSeconds(120);
  private static final String MERCHANT = "MERCHANT0000001";
  /** Extra JVM options for the party processes (e.g. a flight recording), split on white space. */
  public static final String CHILD_JAVA_OPTS = "IOTPAY_BENCH_PARTY_JAVA_OPTS";

  /** Runs the three parties as child JVMs, the reference, the load, and stops them. */
  public AuthBench.Report run(AuthBench.Settings settings, Consumer<String> progress) {
    Path dir;
    try {
      dir = Files.createTempDirectory("iotpay-bench-auth");
    } catch (IOException e) {
      throw new UncheckedIOException("no temporary directory for the scheme", e);
    }
    List<Child> children = new ArrayList<>();
    Thread hook = new Thread(() -> children.forEach(Child::kill), "iotpay-bench-auth-children");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      Path scheme = dir.resolve("scheme");
      int perCard = (settings.warmup() + settings.authorisations()) / settings.cards() + 1;
      // Stand-in limits 0: a request the switch answers itself is declined and counts as failed.
      SchemeSetup.Written written = SchemeSetup.init(scheme, new SchemeSetup.Options(1, 1, settings.cards(),
          List.of(settings.suite()), 0, perCard * AMOUNT_MINOR * 2, 0, 0, 0, 10_000, 20_000, 1_000,
          settings.connections(), null), new SecureRandom());
      Path issuerDir = written.issuerDirs().get(0);
      Path acquirerDir = written.acquirerDirs().get(0);
      allowDailyCount(issuerDir, Math.max(1_000, perCard));
      progress.accept("  scheme: 1 issuer (" + settings.suite() + "), the switch, 1 acquirer with " + settings.connections()
          + " terminals, " + settings.cards() + " cards, in " + scheme);
      progress.accept("  reference: " + settings.referenceOps() + " ARQC verifications + ARPCs, one thread");
      double reference = AuthBench.reference(settings.suite(), settings.referenceOps());
      Child issuer = Child.start("issuer", dir, children, "issuer", "--data-dir", issuerDir.toString());
      Child switching = Child.start("switch", dir, children, "switch", "--data-dir", written.switchDir().toString());
      Child acquirer = Child.start("acquirer", dir, children, "acquirer", "--data-dir", acquirerDir.toString());
      progress.accept("  started: issuer pid " + issuer.process.pid() + ", switch pid " + switching.process.pid()
          + ", acquirer pid " + acquirer.process.pid() + " (terminal port " + acquirer.port + ")");
      SchemeSetup.TerminalLink terminals = SchemeSetup.terminalLink(acquirerDir);
      List<HarnessCard> cards = SchemeSetup.cards(scheme);
      List<Iso8583Client> links = new ArrayList<>();
      List<String> terminalIds = new ArrayList<>();
      Iso8583Wire wire = Iso8583Wire.load();
      try {
        for (int i = 0; i < settings.connections(); i++) {
          String terminalId = terminals.terminalIds().get(i % terminals.terminalIds().size());
          Iso8583Client link = new Iso8583Client(new InetSocketAddress(InetAddress.getLoopbackAddress(), acquirer.port),
              LinkSettings.defaults(terminals.institutionId(), terminalId).withEchoIntervalMs(0)
                  .withRequestTimeoutMs(30_000), terminals.keys().zoneKeys(), wire);
          link.connect();
          links.add(link);
          terminalIds.add(terminalId);
        }
        int[] atcs = new int[cards.size()];
        int[] next = {0};
        Money amount = Money.ofMinor(AMOUNT_MINOR, SchemeSetup.CURRENCY);
        AuthBench.Load load = new AuthBench.Load(settings.inFlight(), settings.authorisations(), stan -> {
          int c = next[0] % cards.size();
          int l = next[0] % links.size();
          next[0]++;
          HarnessCard card = cards.get(c);
          HarnessCard.Tap tap = card.authorisation(stan, amount, ++atcs[c], terminals.institutionId(), terminalIds.get(l),
              MERCHANT, MonthDayTime.utc(Instant.now()));
          return new AuthBench.Shot(links.get(l), tap.request(), outcome -> outcome instanceof Outcome.Answered answered
              && answered.response() instanceof CardResponse response && response.responseCode().approved()
              && card.arpcValid(tap, response));
        });
        progress.accept("  warm-up: " + settings.warmup() + " authorisations");
        load.run(settings.warmup(), false);
        progress.accept("  measured: " + settings.authorisations() + " authorisations, " + settings.inFlight()
            + " in flight on " + settings.connections() + " terminal connections");
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long[] cpu0 = {os.getProcessCpuTime(), issuer.cpuNanos(), switching.cpuNanos(), acquirer.cpuNanos()};
        long wall0 = System.nanoTime();
        load.run(settings.authorisations(), true);
        double seconds = (System.nanoTime() - wall0) / 1e9;
        long[] cpu1 = {os.getProcessCpuTime(), issuer.cpuNanos(), switching.cpuNanos(), acquirer.cpuNanos()};
        double loadAverage = os.getSystemLoadAverage();
        int n = settings.authorisations();
        List<AuthBench.ProcessCpu> perProcess = List.of(
            new AuthBench.ProcessCpu("load generator", ProcessHandle.current().pid(), (cpu1[0] - cpu0[0]) / 1e6 / n),
            new AuthBench.ProcessCpu("acquirer", acquirer.process.pid(), (cpu1[3] - cpu0[3]) / 1e6 / n),
            new AuthBench.ProcessCpu("switch", switching.process.pid(), (cpu1[2] - cpu0[2]) / 1e6 / n),
            new AuthBench.ProcessCpu("issuer", issuer.process.pid(), (cpu1[1] - cpu0[1]) / 1e6 / n));
        double cpuAll = perProcess.stream().mapToDouble(AuthBench.ProcessCpu::cpuMsPerAuthorisation).sum();
        long[] latencies = load.sortedLatencies();
        links.forEach(Iso8583Client::close);
        links.clear();
        progress.accept("  stopping the parties; reading the issuer's ledger");
        for (Child child : List.of(acquirer, switching, issuer)) {
          child.stop();
        }
        IssuerParty.Books books = IssuerParty.books(issuerDir, null);
        long held = 0;
        for (int i = 0; i < cards.size(); i++) {
          held += books.cardDebitedMinor(cards.get(i).accountIndex());
        }
        int approved = load.approved();
        return new AuthBench.Report(settings.suite(), settings.cards(), settings.connections(), settings.inFlight(), n,
            approved, n - approved, seconds, n / seconds, AuthBench.percentileMs(latencies, 0.50),
            AuthBench.percentileMs(latencies, 0.99), latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e6,
            cpuAll, reference, Runtime.getRuntime().availableProcessors(), loadAverage, held,
            (long) (load.approvedWarmup() + approved) * AMOUNT_MINOR, books.balanced(), perProcess);
      } finally {
        links.forEach(Iso8583Client::close);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the scheme could not be set up: " + e.getMessage(), e);
    } finally {
      children.forEach(Child::kill);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
      BenchFiles.deleteTree(dir);
    }
  }

  /** Lets each card make {@code max} authorisations a day (set-up writes 1,000), so a long run is not declined for it. */
  private static void allowDailyCount(Path issuerDir, int max) throws IOException {
    Path config = issuerDir.resolve("issuer.properties");
    String text = Files.readString(config, StandardCharsets.UTF_8);
    String replaced = text.replaceFirst("(?m)^card\\.daily\\.count\\.max=.*$", "card.daily.count.max=" + max);
    if (replaced.equals(text) && !text.contains("card.daily.count.max=" + max)) {
      throw new IllegalStateException(config + " has no card.daily.count.max line");
    }
    Files.writeString(config, replaced, StandardCharsets.UTF_8);
  }

  /** One party JVM: {@code java -cp <this class path> io.iotpay.app.Main party ...}, stderr to a log file. */
  private static final class Child {
    final String name;
    final Process process;
    final Path log;
    int port;

    private Child(String name, Process process, Path log) {
      this.name = name;
      this.process = process;
      this.log = log;
    }

    static Child start(String name, Path dir, List<Child> children, String... args) throws IOException {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(List.of("-XX:+UseSerialGC", "-Xmx512m"));
      String extra = System.getenv(CHILD_JAVA_OPTS);
      if (extra != null && !extra.isBlank()) {
        command.addAll(List.of(extra.trim().split("\\s+")));
      }
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.iotpay.app.Main", "party"));
      command.addAll(List.of(args));
      Path log = dir.resolve(name + ".log");
      Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      Child child = new Child(name, process, log);
      children.add(child);
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
      CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
        try {
          String line;
          while ((line = out.readLine()) != null) {
            if (line.startsWith("listening ")) {
              return line;
            }
          }
          return null;
        } catch (IOException e) {
          return null;
        }
      }, Thread::startVirtualThread);
      String line;
      try {
        line = ready.get(START_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        line = null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        line = null;
      }
      if (line == null) {
        child.kill();
        throw new IllegalStateException("the " + name + " process did not print its listening line within "
            + START_WAIT.toSeconds() + " s; its log ends: " + tail(log));
      }
      child.port = Integer.parseInt(line.substring("listening ".length()).split(" ")[0]);
      Thread.startVirtualThread(() -> {
        try {
          while (out.readLine() != null) {
            // stdout carries only the ready line; read on so the pipe never fills
          }
        } catch (IOException e) {
          // the process is gone
        }
      });
      return child;
    }

    long cpuNanos() {
      return process.toHandle().info().totalCpuDuration()
          .orElseThrow(() -> new IllegalStateException("no CPU time for the " + name + " process on this system"))
          .toNanos();
    }

    /** SIGTERM (the party closes its database), waited for; kill -9 after 30 s. */
    void stop() {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          throw new IllegalStateException("the " + name + " process did not stop on SIGTERM within 30 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }

    void kill() {
      if (process.isAlive()) {
        process.destroyForcibly();
        try {
          process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    private static String tail(Path log) {
      try {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
      } catch (IOException e) {
        return "(unreadable: " + e.getMessage() + ")";
      }
    }
  }
}
