package io.iotpay.issuer.credit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The nightly run on real stores (SQLite always, PostgreSQL when configured): every cardholder
 * rated exactly as the scorecard rates it directly, reruns and restarts that change nothing, and
 * the next tap's rating.
 */
class NightlyScoringTest {
  private static final LocalDate DATE = LocalDate.of(2026, 12, 6);
  private static final Scorecard SCORECARD = Scorecard.standard();
  private static final NightlyScoring.Settings SMALL_BATCHES = new NightlyScoring.Settings(2, 3, 37, 4);

  @TempDir Path directory;

  /** Cardholders 1..count with varied facts (some with failed parts, some new), from a seed. */
  static List<CardholderFacts> cardholders(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<CardholderFacts> all = new ArrayList<>();
    for (int id = 1; id <= count; id++) {
      int tenure = random.nextInt(0, 900);
      List<DailyFacts> days = new ArrayList<>();
      long balance = random.nextLong(-5_000, 50_000);
      for (int offset = Math.min(tenure, 35); offset >= 0; offset--) {
        if (random.nextInt(100) < 55) {
          int purchases = random.nextInt(0, 4);
          int loads = random.nextInt(10) == 0 ? 1 : 0;
          balance += random.nextLong(-3_000, 3_000);
          days.add(new DailyFacts(DATE.minusDays(offset), purchases, purchases * random.nextLong(100, 2_000), loads,
              loads * 10_000L, loads == 1 && random.nextBoolean() ? 1 : 0, balance));
        }
      }
      List<FailedOnlinePart> parts = new ArrayList<>();
      for (int p = 0; p < (random.nextInt(8) == 0 ? random.nextInt(1, 4) : 0); p++) {
        LocalDate failedOn = DATE.minusDays(random.nextInt(0, 200));
        parts.add(new FailedOnlinePart(p + 1, failedOn, random.nextLong(100, 5_000),
            random.nextBoolean() ? null : failedOn.plusDays(random.nextInt(0, 20))));
      }
      all.add(new CardholderFacts(CardholderId.of(id), id % 5 == 0 ? CurrencyUnit.HKD : CurrencyUnit.CNY,
          DATE.minusDays(tenure), days, parts));
    }
    return all;
  }

  private static Rating expected(CardholderFacts facts) {
    return SCORECARD.rate(facts.id(), DATE, facts.currency(), Indicators.compute(facts, DATE));
  }

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void everyCardholderIsRatedAsTheScorecardRatesIt_andARerunChangesNothing(Database.Dialect dialect) throws Exception {
    List<CardholderFacts> facts = cardholders(1_500, 17);
    try (Database database = CreditStores.open(dialect, directory)) {
      SqlWalletFacts source = new SqlWalletFacts(database);
      source.record(facts);
      SqlRatingStore store = new SqlRatingStore(database);
      List<long[]> progress = new ArrayList<>();
      NightlyScoring nightly = new NightlyScoring(SCORECARD, SMALL_BATCHES);
      ScoringSummary summary = nightly.run(DATE, source, store, (rated, total) -> progress.add(new long[] {rated, total}));

      assertThat(summary.cardholders()).isEqualTo(facts.size());
      assertThat(summary.byBand().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(facts.size());
      assertThat(progress.get(progress.size() - 1)).containsExactly(facts.size(), facts.size());
      for (int i = 1; i < progress.size(); i++) {
        assertThat(progress.get(i)[0]).isGreaterThan(progress.get(i - 1)[0]);
      }
      Map<RatingBand, Long> bands = new TreeMap<>();
      for (CardholderFacts cardholder : facts) {
        Rating rating = store.ratingForNextTap(cardholder.id()).orElseThrow();
        assertThat(rating).isEqualTo(expected(cardholder));
        bands.merge(rating.band(), 1L, Long::sum);
      }
      assertThat(bands.keySet()).as("the sample spans several bands").hasSizeGreaterThanOrEqualTo(3);
      assertThat(summary.byBand()).containsAllEntriesOf(bands);

      ScoringSummary again = nightly.run(DATE, source, store, ScoringProgress.none());
      assertThat(again).isEqualTo(summary);
      assertThat(ratingRows(database)).isEqualTo(facts.size());
      ScorecardSettings v1 = ScorecardSettings.defaults();
      Scorecard version2 = new Scorecard(new ScorecardSettings(2, v1.baseScore(), v1.baseOdds(),
          v1.pointsToDoubleOdds(), v1.reasonsMax(), v1.bands()), Scorecard.tableV1(), Scorecard.INTERCEPT_MILLI_V1);
      assertThatThrownBy(() -> new NightlyScoring(version2, SMALL_BATCHES).run(DATE, source, store,
          ScoringProgress.none())).isInstanceOf(CreditInputException.class).hasMessageContaining("version 1");
      assertThat(ratingRows(database)).isEqualTo(facts.size());
    }
  }

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void aRunThatDiesHalfway_resumesAndEndsExactlyAsAnUninterruptedRun(Database.Dialect dialect) throws Exception {
    List<CardholderFacts> facts = cardholders(1_200, 99);
    try (Database database = CreditStores.open(dialect, directory)) {
      SqlWalletFacts source = new SqlWalletFacts(database);
      source.record(facts);
      SqlRatingStore store = new SqlRatingStore(database);
      NightlyScoring nightly = new NightlyScoring(SCORECARD, SMALL_BATCHES);
      assertThatThrownBy(() -> nightly.run(DATE, source, new FailingAfter(store, 9), ScoringProgress.none()))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("store died");
      long savedBeforeCrash = ratingRows(database);
      assertThat(savedBeforeCrash).isBetween(1L, (long) facts.size() - 1);
      assertThat(store.completedRun(DATE)).isEmpty();

      AtomicInteger readBack = new AtomicInteger();
      FactsSource counting = new CountingSource(source, readBack);
      ScoringSummary summary = nightly.run(DATE, counting, store, ScoringProgress.none());
      assertThat(summary.cardholders()).isEqualTo(facts.size());
      assertThat(ratingRows(database)).isEqualTo(facts.size());
      // The restart read only what was not yet saved, not everything again.
      assertThat((long) readBack.get()).isEqualTo(facts.size() - savedBeforeCrash);
      for (CardholderFacts cardholder : facts) {
        assertThat(store.ratingForNextTap(cardholder.id())).hasValue(expected(cardholder));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void theNextTapWritesTheNewestRatingOnce(Database.Dialect dialect) {
    List<CardholderFacts> facts = cardholders(50, 5);
    try (Database database = CreditStores.open(dialect, directory)) {
      SqlWalletFacts source = new SqlWalletFacts(database);
      source.record(facts);
      SqlRatingStore store = new SqlRatingStore(database);
      NightlyScoring nightly = new NightlyScoring(SCORECARD, SMALL_BATCHES);
      nightly.run(DATE.minusDays(1), source, store, ScoringProgress.none());
      CardholderId holder = facts.get(0).id();
      Rating yesterday = store.ratingForNextTap(holder).orElseThrow();
      assertThat(yesterday.businessDate()).isEqualTo(DATE.minusDays(1));

      nightly.run(DATE, source, store, ScoringProgress.none());
      Rating today = store.ratingForNextTap(holder).orElseThrow();
      assertThat(today.businessDate()).isEqualTo(DATE);
      assertThat(store.markWritten(holder, DATE, Instant.parse("2026-12-07T08:00:00Z"))).isTrue();
      assertThat(store.ratingForNextTap(holder)).isEmpty();
      assertThat(store.markWritten(holder, DATE, Instant.parse("2026-12-07T08:00:01Z"))).isFalse();
      assertThat(store.ratingForNextTap(facts.get(1).id())).isPresent();
      assertThat(store.ratingForNextTap(CardholderId.of(999_999))).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Database.Dialect.class)
  void factsReadBackFromTheDatabase_scoreAsTheFactsInMemory(Database.Dialect dialect) {
    List<CardholderFacts> facts = cardholders(300, 23);
    try (Database database = CreditStores.open(dialect, directory)) {
      SqlWalletFacts source = new SqlWalletFacts(database);
      source.record(facts);
      source.record(facts.subList(0, 10)); // a day end recorded twice changes nothing
      assertThat(source.cardholders()).isEqualTo(facts.size());
      InMemoryRatingStore fromDatabase = new InMemoryRatingStore();
      InMemoryRatingStore fromMemory = new InMemoryRatingStore();
      NightlyScoring nightly = new NightlyScoring(SCORECARD, SMALL_BATCHES);
      nightly.run(DATE, source, fromDatabase, ScoringProgress.none());
      nightly.run(DATE, InMemoryFactsSource.of(facts), fromMemory, ScoringProgress.none());
      for (CardholderFacts cardholder : facts) {
        assertThat(fromDatabase.ratingForNextTap(cardholder.id())).isEqualTo(fromMemory.ratingForNextTap(cardholder.id()))
            .isPresent();
      }
      // A recovery recorded later raises nothing it should not: the part is now recovered.
      CardholderFacts withPart = facts.stream().filter(f -> f.failedParts().stream().anyMatch(p -> p.recoveredOn() == null))
          .findFirst().orElseThrow();
      FailedOnlinePart outstanding = withPart.failedParts().stream().filter(p -> p.recoveredOn() == null).findFirst()
          .orElseThrow();
      assertThat(source.recordRecovery(withPart.id(), outstanding.partId(), DATE)).isTrue();
      assertThat(source.recordRecovery(withPart.id(), outstanding.partId(), DATE)).isFalse();
    }
  }

  private static long ratingRows(Database database) throws Exception {
    try (Connection connection = database.connection(); Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM credit_rating")) {
      row.next();
      return row.getLong(1);
    }
  }

  /** A real store whose saves fail after {@code savesMax} batches: the process "dies" mid-run. */
  private static final class FailingAfter implements RatingStore {
    private final RatingStore store;
    private final AtomicInteger savesLeft;

    FailingAfter(RatingStore store, int savesMax) {
      this.store = store;
      this.savesLeft = new AtomicInteger(savesMax);
    }

    @Override
    public Optional<ScoringSummary> completedRun(LocalDate businessDate) {
      return store.completedRun(businessDate);
    }

    @Override
    public long lastRated(LocalDate businessDate, CardholderRange range) {
      return store.lastRated(businessDate, range);
    }

    @Override
    public void save(LocalDate businessDate, List<Rating> ratings) {
      if (savesLeft.getAndDecrement() <= 0) {
        throw new IllegalStateException("store died");
      }
      store.save(businessDate, ratings);
    }

    @Override
    public ScoringSummary summarise(LocalDate businessDate, int scorecardVersion) {
      return store.summarise(businessDate, scorecardVersion);
    }

    @Override
    public void completeRun(ScoringSummary summary) {
      store.completeRun(summary);
    }

    @Override
    public Optional<Rating> ratingForNextTap(CardholderId cardholder) {
      return store.ratingForNextTap(cardholder);
    }

    @Override
    public Optional<Rating> rating(CardholderId cardholder, LocalDate businessDate) {
      return store.rating(cardholder, businessDate);
    }

    @Override
    public boolean written(CardholderId cardholder, LocalDate businessDate) {
      return store.written(cardholder, businessDate);
    }

    @Override
    public boolean markWritten(CardholderId cardholder, LocalDate businessDate, Instant confirmedAt) {
      return store.markWritten(cardholder, businessDate, confirmedAt);
    }
  }

  /** Counts the cardholders a source hands out. */
  private record CountingSource(FactsSource source, AtomicInteger count) implements FactsSource {
    @Override
    public long cardholders() {
      return source.cardholders();
    }

    @Override
    public List<CardholderRange> ranges(int rangeCount) {
      return source.ranges(rangeCount);
    }

    @Override
    public void read(CardholderRange range, long afterId, LocalDate asOf, java.util.function.Consumer<CardholderFacts> sink) {
      source.read(range, afterId, asOf, facts -> {
        count.incrementAndGet();
        sink.accept(facts);
      });
    }
  }
}
