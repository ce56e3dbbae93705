package io.iotpay.demo.wallet;

import java.nio.file.Path;

/**
 * The demo's size: {@code cards} cardholders (alternating suites), {@code pos} locations (canteen,
 * bus, shop in turn; one POS per suite at each), {@code days} business days, and the seed.
 *
 * @throws IllegalArgumentException when a value is out of range
 */
public record WalletSettings(int cards, int pos, int days, long seed, Path dataDir) {
  public static final int CARDS_DEFAULT = 12;
  public static final int POS_DEFAULT = 3;
  public static final int DAYS_DEFAULT = 3;
  public static final long SEED_DEFAULT = 17;

  public WalletSettings {
    if (cards < 2 || cards > 200) {
      throw new IllegalArgumentException("--cards must be 2..200, got " + cards);
    }
    if (pos < 1 || pos > 30) {
      throw new IllegalArgumentException("--pos must be 1..30, got " + pos);
    }
    if (days < 1 || days > 10) {
      throw new IllegalArgumentException("--days must be 1..10, got " + days);
    }
  }
}
