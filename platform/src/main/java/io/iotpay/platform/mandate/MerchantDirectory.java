package io.iotpay.platform.mandate;

import io.iotpay.foundation.store.Database;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The merchants known to the platform, by id. Thread-safe. {@link #open(Database)} keeps them in the
 * database too (a restart finds them again); {@code new MerchantDirectory()} holds them in memory only.
 */
public final class MerchantDirectory {
  /** Merchants held at most: a bound on memory for a directory filled from outside. */
  public static final int MERCHANTS_MAX = 1_000_000;

  private final ConcurrentHashMap<String, Merchant> merchants = new ConcurrentHashMap<>();
  private final MerchantStore store;

  /** A directory in memory only (the demo's and tests' merchants). */
  public MerchantDirectory() {
    this.store = null;
  }

  private MerchantDirectory(MerchantStore store) {
    this.store = store;
  }

  /**
   * A directory kept in {@code database} (table {@code platform_merchant}, migrated here), holding
   * every merchant stored there.
   *
   * @throws SQLException when the table cannot be read
   */
  public static MerchantDirectory open(Database database) throws SQLException {
    MerchantStore store = new MerchantStore(database);
    MerchantDirectory directory = new MerchantDirectory(store);
    store.all().forEach(merchant -> directory.merchants.put(merchant.merchantId(), merchant));
    return directory;
  }

  /**
   * Adds or replaces a merchant (in the database first, when the directory has one).
   *
   * @throws MandateException when the directory is full
   * @throws MerchantStoreException when the database refused the write (the directory is unchanged)
   */
  public synchronized void put(Merchant merchant) {
    Objects.requireNonNull(merchant, "merchant");
    if (merchants.size() >= MERCHANTS_MAX && !merchants.containsKey(merchant.merchantId())) {
      throw new MandateException("merchant directory full (" + MERCHANTS_MAX + "): cannot add " + merchant.merchantId());
    }
    if (store != null) {
      try {
        store.put(merchant);
      } catch (SQLException e) {
        throw new MerchantStoreException("merchant " + merchant.merchantId() + " could not be stored", e);
      }
    }
    merchants.put(merchant.merchantId(), merchant);
  }

  /** The merchant with this id; empty when unknown. */
  public Optional<Merchant> find(String merchantId) {
    return merchantId == null ? Optional.empty() : Optional.ofNullable(merchants.get(merchantId));
  }

  /**
   * Up to {@code limit} merchants in id order, those after {@code after} (null: from the first).
   *
   * @param limit 1 or more
   */
  public List<Merchant> list(String after, int limit) {
    return merchants.values().stream()
        .filter(m -> after == null || m.merchantId().compareTo(after) > 0)
        .sorted(Comparator.comparing(Merchant::merchantId))
        .limit(limit)
        .toList();
  }

  /** The database refused to store a merchant. */
  public static final class MerchantStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MerchantStoreException(String message, SQLException cause) {
      super(message, cause);
    }
  }
}
