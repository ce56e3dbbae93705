package io.iotpay.demo.transit;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.nio.file.Path;

/**
 * What the transit demo simulates.
 *
 * @param riders riders (one phone, one card each), 1..{@value #RIDERS_MAX}: bounded because every
 *     rider is a jCardSim card in memory and a full round of taps must fit in its 40-minute window
 * @param days business days ridden, 1..{@value #DAYS_MAX}
 * @param seed the random seed: the same seed rides the same journeys (keys and UNs stay random)
 * @param flashRate probability, 0..0.9, that a tap is torn (response lost or card pulled at a random APDU)
 * @param counterfeitRate probability, 0..0.5, that a counterfeit of the rider's card is presented before an entry
 * @param dataDir where the database, journals and files go; replaced each run; never null
 * @param auditSuite the suite of the audit log and of the scheme PKI that signs files (docs/signed-files.md); never null
 * @param lateRate probability, 0..1, that a rider whose tap tore after the card committed walks away
 *     instead of retrying and rides no more that day: the card's next tap, on a later day, recovers the transaction, which
 *     reaches the switch after its day settled (a late presentment); never on the last day
 * @param disputeRate probability, 0..{@value #DISPUTE_RATE_MAX}, that the operators' back office mis-prices
 *     an exit record before upload ({@link StaleFareTable}): the issuer refuses it (AMOUNT_MISMATCH) and charges
 *     it back, the operator re-presents it once corrected to its gate's record
 */
public record TransitSettings(int riders, int days, long seed, double flashRate, double counterfeitRate, Path dataDir,
    AlgorithmSuite auditSuite, double lateRate, double disputeRate) {
  public static final int RIDERS_MAX = 500;
  /** At most this share of torn taps is left to come late (the rest are retried at once). */
  public static final double LATE_RATE_MAX = 1.0;
  public static final int DAYS_MAX = 30;
  public static final double FLASH_RATE_MAX = 0.9;
  public static final double COUNTERFEIT_RATE_MAX = 0.5;
  public static final double DISPUTE_RATE_MAX = 0.5;
  /*
   * The defaults of plain "iotpay demo transit": with seed 2026 they show counterfeits, a late
   * presentment and chargebacks with their re-presentments (docs/demo-transit.md).
   */
  public static final int RIDERS_DEFAULT = 20;
  public static final int DAYS_DEFAULT = 3;
  public static final long SEED_DEFAULT = 2026;
  public static final double FLASH_RATE_DEFAULT = 0.05;
  public static final double COUNTERFEIT_RATE_DEFAULT = 0.02;
  public static final double LATE_RATE_DEFAULT = 0.5;
  public static final double DISPUTE_RATE_DEFAULT = 0.1;

  /** @throws DemoInputException naming the first setting out of its range */
  public TransitSettings {
    if (riders < 1 || riders > RIDERS_MAX) {
      throw new DemoInputException("--riders " + riders + " is outside 1.." + RIDERS_MAX);
    }
    if (days < 1 || days > DAYS_MAX) {
      throw new DemoInputException("--days " + days + " is outside 1.." + DAYS_MAX);
    }
    if (!(flashRate >= 0 && flashRate <= FLASH_RATE_MAX)) {
      throw new DemoInputException("--flash-rate " + flashRate + " is outside 0.." + FLASH_RATE_MAX);
    }
    if (!(counterfeitRate >= 0 && counterfeitRate <= COUNTERFEIT_RATE_MAX)) {
      throw new DemoInputException("--counterfeit-rate " + counterfeitRate + " is outside 0.." + COUNTERFEIT_RATE_MAX);
    }
    if (!(lateRate >= 0 && lateRate <= LATE_RATE_MAX)) {
      throw new DemoInputException("--late-rate " + lateRate + " is outside 0.." + LATE_RATE_MAX);
    }
    if (!(disputeRate >= 0 && disputeRate <= DISPUTE_RATE_MAX)) {
      throw new DemoInputException("--dispute-rate " + disputeRate + " is outside 0.." + DISPUTE_RATE_MAX);
    }
    if (dataDir == null || auditSuite == null) {
      throw new DemoInputException("transit demo: data directory and audit suite are required");
    }
  }

  /** Without late presentments and disputes (late and dispute rates 0). */
  public TransitSettings(int riders, int days, long seed, double flashRate, double counterfeitRate, Path dataDir,
      AlgorithmSuite auditSuite) {
    this(riders, days, seed, flashRate, counterfeitRate, dataDir, auditSuite, 0);
  }

  /** Without disputes (dispute rate 0). */
  public TransitSettings(int riders, int days, long seed, double flashRate, double counterfeitRate, Path dataDir,
      AlgorithmSuite auditSuite, double lateRate) {
    this(riders, days, seed, flashRate, counterfeitRate, dataDir, auditSuite, lateRate, 0);
  }

  /**
   * The defaults of {@code ./iotpay demo}: 20 riders, 3 days, seed 2026, flash rate 0.05, counterfeit
   * rate 0.02, late rate 0.5, dispute rate 0.1, NATIONAL audit log.
   */
  public static TransitSettings defaults(Path dataDir) {
    return new TransitSettings(RIDERS_DEFAULT, DAYS_DEFAULT, SEED_DEFAULT, FLASH_RATE_DEFAULT, COUNTERFEIT_RATE_DEFAULT,
        dataDir, AlgorithmSuite.NATIONAL, LATE_RATE_DEFAULT, DISPUTE_RATE_DEFAULT);
  }
}
