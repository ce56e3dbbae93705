package io.iotpay.platform.mandate;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The merchants known to the platform, by id. Thread-safe. */
public final class MerchantDirectory {
  /** Merchants held at most: a bound on memory for a directory filled from outside. */
  public static final int MERCHANTS_MAX = 1_000_000;

  private final ConcurrentHashMap<String, Merchant> merchants = new ConcurrentHashMap<>();

  /**
   * Adds or replaces a merchant.
   *
   * @throws MandateException when the directory is full
   */
  public void put(Merchant merchant) {
    Objects.requireNonNull(merchant, "merchant");
    if (merchants.size() >= MERCHANTS_MAX && !merchants.containsKey(merchant.merchantId())) {
      throw new MandateException("merchant directory full (" + MERCHANTS_MAX + "): cannot add " + merchant.merchantId());
    }
    merchants.put(merchant.merchantId(), merchant);
  }

  /** The merchant with this id; empty when unknown. */
  public Optional<Merchant> find(String merchantId) {
    return merchantId == null ? Optional.empty() : Optional.ofNullable(merchants.get(merchantId));
  }
}
