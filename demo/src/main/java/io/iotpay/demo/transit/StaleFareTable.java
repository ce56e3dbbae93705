package io.iotpay.demo.transit;

import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.transit.TransitKind;
import io.iotpay.protocol.transit.TransitRecord;
import java.util.SplittableRandom;

/**
 * The operators' back-office fault of {@code --dispute-rate}: a re-rating job with a stale fare
 * table that prices a share of exit records one zone too high before they are uploaded. The
 * record's fare then differs from the amount the card's TAC covers, so the issuer refuses it
 * (AMOUNT_MISMATCH) and charges it back; the operator corrects it to its gate's record and
 * re-presents it once (docs/demo-transit.md).
 *
 * <p>Which records are mis-priced is a function of the seed and the record id alone: the back office
 * reads a gate's whole journal every night, and a record read again must be the same record (a
 * changed one would be refused as a record id reused); and the riders' journeys of a seed do not
 * change with the rate. Only a gate's own exits with a fare are re-rated (an entry carries no fare,
 * a recovered copy is the gate's record of another gate's transaction). Stateless; thread-safe.
 */
final class StaleFareTable {
  /** What the stale table adds to a fare: one zone more of the demo's line (FareTable.line(8, 300, 150)). */
  static final long ZONE_SUPPLEMENT_MINOR = 150;

  private final long seed;
  private final double rate;

  /** @param rate share of eligible records mis-priced, 0..{@value TransitSettings#DISPUTE_RATE_MAX} */
  StaleFareTable(long seed, double rate) {
    this.seed = seed;
    this.rate = rate;
  }

  /** The record as the back office uploads it: {@code record} itself, or a copy with a fare one zone too high. */
  TransitRecord reRate(TransitRecord record) {
    if (!misprices(record)) {
      return record;
    }
    return new TransitRecord(record.id(), record.operator(), record.stationId(), record.kind(), record.pan(),
        record.panSequence(), record.suite(), record.atc(),
        record.fare().plus(Money.ofMinor(ZONE_SUPPLEMENT_MINOR, record.fare().currency())), record.quotaAfterMinor(),
        record.time(), record.businessDate(), record.cryptogramInput(), record.tac(), record.recovered());
  }

  private boolean misprices(TransitRecord record) {
    if (rate == 0 || record.kind() != TransitKind.EXIT || record.recovered() || record.fare().isZero()) {
      return false;
    }
    long id = record.id().terminalId().hashCode() * 1_000_003L + record.id().sequence();
    return new SplittableRandom(seed ^ id).nextDouble() < rate;
  }
}
