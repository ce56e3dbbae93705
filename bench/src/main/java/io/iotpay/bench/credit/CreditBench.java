package io.iotpay.bench.credit;

import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.store.Database;
import io.iotpay.issuer.credit.CardholderFacts;
import io.iotpay.issuer.credit.InMemoryFactsSource;
import io.iotpay.issuer.credit.InMemoryRatingStore;
import io.iotpay.issuer.credit.NightlyScoring;
import io.iotpay.issuer.credit.RatingBand;
import io.iotpay.issuer.credit.Scorecard;
import io.iotpay.issuer.credit.ScoringSummary;
import io.iotpay.issuer.credit.SqlRatingStore;
import io.iotpay.issuer.credit.SqlWalletFacts;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code iotpay bench credit}: the nightly scoring of N generated cardholders
 * ({@link CardholderGenerator}) end to end through {@link NightlyScoring}: on SQLite (facts read
 * from the credit tables, ratings written to {@code credit_rating}) and in memory (facts generated
 * on the fly, ratings kept in memory), several runs each, medians reported. Loading the facts into
 * SQLite and clearing the previous run's ratings are set-up and are not timed.
 */
public final class CreditBench {
  /** The business date scored. */
  public static final LocalDate BUSINESS_DATE = LocalDate.of(2026, 12, 6);
  /** Cardholders loaded into SQLite per transaction during set-up. */
  private static final int LOAD_BATCH_CARDHOLDERS = 20_000;

  /**
   * @param cardholders cardholders to score, 1..20,000,000 (default 1,000,000)
   * @param runs timed runs per store, 1..20 (the median is reported)
   * @param threads scoring workers, 1..64
   * @param seed the population's seed
   * @param workDirectory where the SQLite file goes (must exist; left in place)
   */
  public record Settings(int cardholders, int runs, int threads, long seed, Path workDirectory) {
    public static final int CARDHOLDERS_DEFAULT = 1_000_000;
    public static final int CARDHOLDERS_MAX = 20_000_000;

    /** @throws InvalidInputException naming the setting out of range */
    public Settings {
      if (cardholders < 1 || cardholders > CARDHOLDERS_MAX || runs < 1 || runs > 20 || threads < 1 || threads > 64
          || workDirectory == null) {
        throw new InvalidInputException("bench credit: cardholders 1.." + CARDHOLDERS_MAX + ", runs 1..20, threads "
            + "1..64 and a work directory are needed");
      }
    }
  }

  /** One timed run: wall and process CPU time, and what the store held afterwards. */
  public record Run(long wallNs, long cpuNs, ScoringSummary summary) {}

  /**
   * @param loadNs time to load the facts into SQLite (set-up, not part of the figure)
   * @param factRows daily-fact rows in SQLite
   * @param sqlite the SQLite runs; {@code memory} the in-memory runs
   * @param loadAverage the system's one-minute load average at the end (negative if unknown): on a
   *     shared machine, wall time grows with other load, CPU time much less
   */
  public record Result(Settings settings, long loadNs, long factRows, List<Run> sqlite, List<Run> memory,
      double loadAverage) {
    /** Every run rated every cardholder, and all runs (both stores) agree band by band. */
    public boolean consistent() {
      ScoringSummary first = sqlite.get(0).summary();
      return first.cardholders() == settings.cardholders()
          && sqlite.stream().allMatch(r -> r.summary().byBand().equals(first.byBand()))
          && memory.stream().allMatch(r -> r.summary().byBand().equals(first.byBand()));
    }

    public static long medianNs(List<Run> runs, boolean cpu) {
      long[] values = runs.stream().mapToLong(r -> cpu ? r.cpuNs() : r.wallNs()).sorted().toArray();
      int n = values.length;
      return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
  }

  public Result run(Settings settings, Consumer<String> progress) {
    CardholderGenerator generator = new CardholderGenerator(settings.seed(), BUSINESS_DATE);
    NightlyScoring nightly = new NightlyScoring(Scorecard.standard(),
        new NightlyScoring.Settings(settings.threads(), 4, 5_000, 16));
    Path file = settings.workDirectory().resolve("credit-bench.db");
    try (Database database = Database.open("jdbc:sqlite:" + file, settings.threads() + 2)) {
      SqlWalletFacts facts = new SqlWalletFacts(database);
      SqlRatingStore store = new SqlRatingStore(database);
      long loadStart = System.nanoTime();
      long rows = load(facts, generator, settings.cardholders(), progress);
      long loadNs = System.nanoTime() - loadStart;
      progress.accept(String.format("loaded %,d cardholders, %,d daily-fact rows into SQLite in %.1f s",
          settings.cardholders(), rows, loadNs / 1e9));
      List<Run> sqlite = new ArrayList<>();
      for (int r = 0; r < settings.runs(); r++) {
        forgetRatings(database);
        sqlite.add(timed(() -> nightly.run(BUSINESS_DATE, facts, store, (done, total) -> {})));
        progress.accept(describe("sqlite", r, sqlite.get(r)));
      }
      List<Run> memory = new ArrayList<>();
      for (int r = 0; r < settings.runs(); r++) {
        InMemoryFactsSource source = InMemoryFactsSource.generated(settings.cardholders(), generator::facts);
        memory.add(timed(() -> nightly.run(BUSINESS_DATE, source, new InMemoryRatingStore(), (done, total) -> {})));
        progress.accept(describe("memory", r, memory.get(r)));
      }
      return new Result(settings, loadNs, rows, sqlite, memory,
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  private static long load(SqlWalletFacts facts, CardholderGenerator generator, int cardholders,
      Consumer<String> progress) {
    long rows = 0;
    List<CardholderFacts> batch = new ArrayList<>(LOAD_BATCH_CARDHOLDERS);
    for (long id = 1; id <= cardholders; id++) {
      CardholderFacts cardholder = generator.facts(id);
      rows += cardholder.days().size();
      batch.add(cardholder);
      if (batch.size() == LOAD_BATCH_CARDHOLDERS || id == cardholders) {
        facts.record(batch);
        batch.clear();
        if (id % 200_000 == 0) {
          progress.accept(String.format("set-up: %,d cardholders loaded", id));
        }
      }
    }
    return rows;
  }

  /** Set-up between runs: drops the previous run's ratings so each run scores everyone again. */
  private static void forgetRatings(Database database) {
    try (Connection connection = database.connection(); Statement statement = connection.createStatement()) {
      statement.executeUpdate("DELETE FROM credit_rating");
      statement.executeUpdate("DELETE FROM credit_run");
    } catch (SQLException e) {
      throw new IllegalStateException("bench credit: clearing the ratings", e);
    }
  }

  private static Run timed(java.util.function.Supplier<ScoringSummary> work) {
    long cpuStart = processCpuNs();
    long start = System.nanoTime();
    ScoringSummary summary = work.get();
    long wallNs = System.nanoTime() - start;
    return new Run(wallNs, processCpuNs() - cpuStart, summary);
  }

  private static String describe(String store, int run, Run r) {
    return String.format("%s run %d: %,d cardholders in %.2f s (%,.0f cardholders/s), %.2f CPU-s", store, run + 1,
        r.summary().cardholders(), r.wallNs() / 1e9, r.summary().cardholders() * 1e9 / r.wallNs(), r.cpuNs() / 1e9);
  }

  static long processCpuNs() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }

  /** The report: medians of both stores beside the target, the bands, the consistency check. */
  public static String format(Result r) {
    StringBuilder out = new StringBuilder();
    int n = r.settings().cardholders();
    out.append(String.format("iotpay bench credit: nightly scoring of %,d generated cardholders (seed %d, %,d "
        + "daily-fact rows), %d workers, %d runs per store, medians%n", n, r.settings().seed(), r.factRows(),
        r.settings().threads(), r.settings().runs()));
    for (String store : List.of("sqlite", "memory")) {
      List<Run> runs = store.equals("sqlite") ? r.sqlite() : r.memory();
      long wall = Result.medianNs(runs, false);
      long cpu = Result.medianNs(runs, true);
      out.append(String.format("  %-7s %8.2f s  %,12.0f cardholders/s  %8.2f CPU-s   runs: %s%n", store, wall / 1e9,
          n * 1e9 / wall, cpu / 1e9, Arrays.toString(runs.stream().mapToDouble(x -> Math.round(x.wallNs() / 1e7) / 100.0)
              .toArray())));
    }
    double perMillion = Result.medianNs(r.sqlite(), false) / 1e9 * 1_000_000 / n;
    out.append(String.format("target: 1,000,000 cardholders in <= 30 s on SQLite; this run scales to %.1f s per "
        + "million (%d cores, load average %.1f at the end)%n", perMillion, Runtime.getRuntime().availableProcessors(),
        r.loadAverage()));
    ScoringSummary summary = r.sqlite().get(0).summary();
    StringBuilder bands = new StringBuilder();
    for (RatingBand band : RatingBand.values()) {
      bands.append(String.format(" %s %.1f%%", band, 100.0 * summary.byBand().get(band) / Math.max(1, n)));
    }
    out.append("bands:").append(bands).append(System.lineSeparator());
    out.append(r.consistent() ? "CONSISTENT: every cardholder rated once per run, all runs agree band by band"
        : "INCONSISTENT: runs or stores disagree").append(System.lineSeparator());
    return out.toString();
  }
}
