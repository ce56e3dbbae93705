package io.iotpay.bench.credit;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.issuer.credit.CardholderFacts;
import io.iotpay.issuer.credit.Indicators;
import io.iotpay.issuer.credit.RatingBand;
import io.iotpay.issuer.credit.Scorecard;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small run of the credit benchmark (10,000 cardholders, no timing asserted), checked against the
 * generator's cardholders scored directly by the scorecard, without the nightly run or a store.
 */
class CreditBenchTest {
  @TempDir Path directory;

  @Test
  void smallRun_ratesEveryCardholderAsTheScorecardDoes_onSqliteAndInMemory() {
    int cardholders = 10_000;
    long seed = 7L;
    CreditBench.Result result = new CreditBench().run(new CreditBench.Settings(cardholders, 2, 2, seed, directory),
        line -> {});

    CardholderGenerator generator = new CardholderGenerator(seed, CreditBench.BUSINESS_DATE);
    Scorecard scorecard = Scorecard.standard();
    Map<RatingBand, Long> bands = new EnumMap<>(RatingBand.class);
    Map<CardholderGenerator.Profile, long[]> scoreByProfile = new EnumMap<>(CardholderGenerator.Profile.class);
    long rows = 0;
    for (long id = 1; id <= cardholders; id++) {
      CardholderFacts facts = generator.facts(id);
      rows += facts.days().size();
      int score = scorecard.score(Indicators.compute(facts, CreditBench.BUSINESS_DATE));
      bands.merge(scorecard.bandOf(score), 1L, Long::sum);
      long[] sum = scoreByProfile.computeIfAbsent(generator.profileOf(id), p -> new long[2]);
      sum[0] += score;
      sum[1]++;
    }
    for (RatingBand band : RatingBand.values()) {
      bands.putIfAbsent(band, 0L);
    }
    assertThat(result.factRows()).isEqualTo(rows);
    assertThat(result.sqlite()).hasSize(2);
    assertThat(result.memory()).hasSize(2);
    for (CreditBench.Run run : result.sqlite()) {
      assertThat(run.summary().cardholders()).isEqualTo(cardholders);
      assertThat(run.summary().byBand()).isEqualTo(bands);
    }
    for (CreditBench.Run run : result.memory()) {
      assertThat(run.summary().byBand()).isEqualTo(bands);
    }
    assertThat(result.consistent()).isTrue();
    // The population is varied: every band occurs, and stretched cardholders score below commuters.
    assertThat(bands.values()).allMatch(count -> count > 0);
    long[] stretched = scoreByProfile.get(CardholderGenerator.Profile.STRETCHED);
    long[] commuters = scoreByProfile.get(CardholderGenerator.Profile.COMMUTER);
    assertThat((double) stretched[0] / stretched[1]).isLessThan((double) commuters[0] / commuters[1]);
    assertThat(CreditBench.format(result)).contains("CONSISTENT").contains("cardholders/s").contains("CPU-s");
  }
}
