package io.iotpay.demo.pos;

import io.iotpay.foundation.InvalidInputException;
import java.nio.file.Path;

/**
 * One run of the POS demo.
 *
 * @param merchants merchants, one terminal each, 1..50
 * @param days business days, 1..10
 * @param seed the seed of every choice: cards, amounts, faults
 * @param dataDir the run's files go to {@code dataDir/pos}, replaced each run
 */
public record PosSettings(int merchants, int days, long seed, Path dataDir) {
  public static final int MERCHANTS_DEFAULT = 3;
  public static final int DAYS_DEFAULT = 2;
  public static final long SEED_DEFAULT = 2026;
  /** Taps per terminal per business day. */
  public static final int TAPS_PER_TERMINAL_DAY = 8;

  /** @throws InvalidInputException when a value is outside its range (nothing is run) */
  public PosSettings {
    if (merchants < 1 || merchants > 50) {
      throw new InvalidInputException("--merchants " + merchants + " is outside 1..50");
    }
    if (days < 1 || days > 10) {
      throw new InvalidInputException("--days " + days + " is outside 1..10");
    }
    if (dataDir == null) {
      throw new InvalidInputException("--data-dir is missing");
    }
  }

  /** Cardholders per issuer: enough that every merchant sees cards of both. */
  public int cardholdersPerIssuer() {
    return Math.max(6, merchants + 2);
  }
}
