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
 */
public record TransitSettings(int riders, int days, long seed, double flashRate, double counterfeitRate, Path dataDir,
    AlgorithmSuite auditSuite) {
  public static final int RIDERS_MAX = 500;
  public static final int DAYS_MAX = 30;
  public static final double FLASH_RATE_MAX = 0.9;
  public static final double COUNTERFEIT_RATE_MAX = 0.5;

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
    if (dataDir == null || auditSuite == null) {
      throw new DemoInputException("transit demo: data directory and audit suite are required");
    }
  }

  /** The defaults of {@code ./iotpay demo}: 20 riders, 2 days, flash rate 0.05, counterfeit rate 0.02, NATIONAL audit log. */
  public static TransitSettings defaults(Path dataDir) {
    return new TransitSettings(20, 2, 2026, 0.05, 0.02, dataDir, AlgorithmSuite.NATIONAL);
  }
}
