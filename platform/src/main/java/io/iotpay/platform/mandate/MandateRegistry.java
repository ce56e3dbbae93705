package io.iotpay.platform.mandate;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.time.BusinessClock;
import io.iotpay.foundation.store.Database;
import io.iotpay.platform.identity.DeviceId;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Bindings of devices to payment accounts and their usage. A device has at most one live (active or
 * suspended) mandate; suspending, resuming and revoking change only the mandate, never the account.
 *
 * <p>Usage is counted per business day and per month of business dates ({@link BusinessClock}), for
 * each payment id once: recording the same payment again changes nothing, and releasing it (a void)
 * gives the amount back to the day and month it was counted in.
 *
 * <p>Mandates are stored when the registry was {@link #open opened} on a database (the store is
 * written first, so a failed write changes nothing in memory). Thread-safe (one lock: mandate
 * operations are rare next to reads of the device state).
 */
public final class MandateRegistry {
  private static final Pattern MANDATE_ID = Pattern.compile("mandate-[0-9]{1,18}");
  /** Mandates held at most, and payments whose usage is remembered at most (a bound on memory). */
  public static final int MANDATES_MAX = 1_000_000;
  public static final int USAGES_MAX = 10_000_000;

  private final BusinessClock clock;
  private final MerchantDirectory merchants;
  private final Map<MandateId, Mandate> mandates = new HashMap<>();
  private final Map<DeviceId, MandateId> liveByDevice = new HashMap<>();
  /** Every mandate of each device (any status), in the order bound: what an operator looks up by device. */
  private final Map<DeviceId, List<MandateId>> allByDevice = new HashMap<>();
  private final Map<String, Usage> usageByPayment = new HashMap<>();
  private final Map<MandateId, Map<LocalDate, Long>> dayTotals = new HashMap<>();
  private final Map<MandateId, Map<YearMonth, Long>> monthTotals = new HashMap<>();
  private long nextNumber = 1;

  private record Usage(MandateId mandateId, LocalDate day, long amountMinor) {}

  private final MandateStore store;

  private MandateRegistry(BusinessClock clock, MerchantDirectory merchants, MandateStore store) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.merchants = Objects.requireNonNull(merchants, "merchants");
    this.store = store;
  }

  /**
   * A registry kept in memory only (tests, simulations): everything is lost when the process ends.
   *
   * @param clock business dates for usage; never null
   * @param merchants for scope checks; never null
   */
  public static MandateRegistry inMemory(BusinessClock clock, MerchantDirectory merchants) {
    return new MandateRegistry(clock, merchants, null);
  }

  /**
   * A registry whose mandates are stored in {@code database} (table {@code platform_mandate}) and
   * reloaded now. Usage is not stored: the decision service rebuilds it from the approved payments
   * when it starts ({@link #recordUsage(MandateId, String, Money, LocalDate)}).
   *
   * @throws MandateStoreException when the table cannot be read
   */
  public static MandateRegistry open(Database database, BusinessClock clock, MerchantDirectory merchants) {
    MandateRegistry registry = new MandateRegistry(clock, merchants, new MandateStore(Objects.requireNonNull(database, "database")));
    try {
      for (Mandate mandate : registry.store.all()) {
        registry.mandates.put(mandate.id(), mandate);
        registry.allByDevice.computeIfAbsent(mandate.deviceId(), d -> new ArrayList<>()).add(mandate.id());
        if (mandate.status() != MandateStatus.REVOKED) {
          MandateId previous = registry.liveByDevice.put(mandate.deviceId(), mandate.id());
          Assert.that(previous == null, "device {} has two live mandates in the store: {} and {}", mandate.deviceId(), previous, mandate.id());
        }
        registry.nextNumber = Math.max(registry.nextNumber, numberOf(mandate.id()) + 1);
      }
    } catch (SQLException e) {
      throw new MandateStoreException("cannot read the stored mandates", e);
    }
    return registry;
  }

  private static long numberOf(MandateId id) {
    String value = id.value();
    return MANDATE_ID.matcher(value).matches() ? Long.parseLong(value.substring("mandate-".length())) : 0;
  }

  private void persist(SqlAction action, String what) {
    if (store == null) {
      return;
    }
    try {
      action.run();
    } catch (SQLException e) {
      throw new MandateStoreException("cannot store " + what, e);
    }
  }

  @FunctionalInterface
  private interface SqlAction {
    void run() throws SQLException;
  }

  /**
   * Binds a device to a user's account under {@code terms}.
   *
   * @throws MandateException when the device already has a live mandate, the user id is malformed,
   *     the account id is not positive, or the registry is full
   */
  public synchronized Mandate bind(String userId, DeviceId deviceId, long accountId, MandateTerms terms) {
    Merchant.requireId(userId, "user id");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(terms, "terms");
    if (accountId <= 0) {
      throw new MandateException("bind " + deviceId + ": account id " + accountId + " is not positive");
    }
    MandateId live = liveByDevice.get(deviceId);
    if (live != null) {
      throw new MandateException("bind " + deviceId + ": the device already has live mandate " + live + " (revoke it first)");
    }
    if (mandates.size() >= MANDATES_MAX) {
      throw new MandateException("bind " + deviceId + ": mandate registry full (" + MANDATES_MAX + ")");
    }
    Mandate mandate = new Mandate(new MandateId("mandate-" + nextNumber++), userId, deviceId, accountId, terms,
        MandateStatus.ACTIVE, clock.now());
    persist(() -> store.insert(mandate), "mandate " + mandate.id());
    mandates.put(mandate.id(), mandate);
    liveByDevice.put(deviceId, mandate.id());
    allByDevice.computeIfAbsent(deviceId, d -> new ArrayList<>()).add(mandate.id());
    return mandate;
  }

  /** Suspends an active mandate (no-op if already suspended). @throws MandateException if unknown or revoked */
  public synchronized Mandate suspend(MandateId id) {
    return transition(id, MandateStatus.SUSPENDED);
  }

  /** Resumes a suspended mandate (no-op if active). @throws MandateException if unknown or revoked */
  public synchronized Mandate resume(MandateId id) {
    return transition(id, MandateStatus.ACTIVE);
  }

  /** Revokes a mandate for good (no-op if already revoked); the device may then be bound again. @throws MandateException if unknown */
  public synchronized Mandate revoke(MandateId id) {
    Mandate mandate = require(id);
    if (mandate.status() == MandateStatus.REVOKED) {
      return mandate;
    }
    Mandate revoked = mandate.withStatus(MandateStatus.REVOKED);
    persist(() -> store.updateStatus(id, MandateStatus.REVOKED), "revocation of " + id);
    mandates.put(id, revoked);
    liveByDevice.remove(mandate.deviceId(), id);
    return revoked;
  }

  /** The mandate with this id (any status); empty if unknown. */
  public synchronized Optional<Mandate> find(MandateId id) {
    return Optional.ofNullable(mandates.get(id));
  }

  /** The device's live (active or suspended) mandate; empty if none. */
  public synchronized Optional<Mandate> liveMandateOf(DeviceId deviceId) {
    MandateId id = liveByDevice.get(deviceId);
    return id == null ? Optional.empty() : Optional.of(mandates.get(id));
  }

  /** Every mandate of the device, whatever its status, newest first; empty if it was never bound. */
  public synchronized List<Mandate> mandatesOf(DeviceId deviceId) {
    List<Mandate> found = new ArrayList<>();
    allByDevice.getOrDefault(deviceId, List.of()).forEach(id -> found.add(mandates.get(id)));
    // The store gives rows in no particular order: newest by binding time, then by number.
    found.sort(java.util.Comparator.comparing(Mandate::boundAt).thenComparingLong(m -> numberOf(m.id())).reversed());
    return found;
  }

  /**
   * Whether the device's mandate covers paying {@code amount} to {@code merchantId} now, counting the
   * usage already recorded today and this month.
   */
  public synchronized MandateCheck check(DeviceId deviceId, String merchantId, Money amount) {
    Objects.requireNonNull(amount, "amount");
    MandateId id = liveByDevice.get(deviceId);
    if (id == null) {
      return new MandateCheck.Refused(null, MandateRefusal.NO_MANDATE, "device " + deviceId + " is bound to no account");
    }
    Mandate mandate = mandates.get(id);
    if (mandate.status() == MandateStatus.SUSPENDED) {
      return new MandateCheck.Refused(mandate, MandateRefusal.MANDATE_SUSPENDED, "mandate " + id + " is suspended");
    }
    Optional<Merchant> merchant = merchants.find(merchantId);
    if (merchant.isEmpty()) {
      return new MandateCheck.Refused(mandate, MandateRefusal.UNKNOWN_MERCHANT, "merchant " + Merchant.clip(merchantId) + " is unknown");
    }
    if (!mandate.terms().allows(merchant.get())) {
      return new MandateCheck.Refused(mandate, MandateRefusal.MERCHANT_NOT_ALLOWED,
          "merchant " + merchantId + " (category " + merchant.get().category() + ") is outside mandate " + id);
    }
    return checkAmount(mandate, merchant.get(), amount);
  }

  private MandateCheck checkAmount(Mandate mandate, Merchant merchant, Money amount) {
    MandateTerms terms = mandate.terms();
    if (!amount.currency().equals(terms.currency())) {
      return new MandateCheck.Refused(mandate, MandateRefusal.CURRENCY_MISMATCH, amount + " is not in the mandate's " + terms.currency());
    }
    if (!amount.isPositive()) {
      return new MandateCheck.Refused(mandate, MandateRefusal.AMOUNT_NOT_POSITIVE, "amount " + amount + " is not positive");
    }
    if (amount.isGreaterThan(terms.perPaymentMax())) {
      return new MandateCheck.Refused(mandate, MandateRefusal.OVER_PER_PAYMENT_LIMIT, amount + " above per-payment limit " + terms.perPaymentMax());
    }
    LocalDate today = clock.businessDate();
    long day = usedMinor(dayTotals, mandate.id(), today);
    // Compared as "amount > room left" so that limits near Long.MAX_VALUE cannot overflow.
    if (amount.amountMinor() > terms.perDayMax().amountMinor() - day) {
      return new MandateCheck.Refused(mandate, MandateRefusal.OVER_DAILY_LIMIT,
          amount + " with " + day + " minor units used on " + today + " exceeds daily limit " + terms.perDayMax());
    }
    YearMonth month = YearMonth.from(today);
    long monthUsed = usedMinor(monthTotals, mandate.id(), month);
    if (amount.amountMinor() > terms.perMonthMax().amountMinor() - monthUsed) {
      return new MandateCheck.Refused(mandate, MandateRefusal.OVER_MONTHLY_LIMIT,
          amount + " with " + monthUsed + " minor units used in " + month + " exceeds monthly limit " + terms.perMonthMax());
    }
    return new MandateCheck.Covered(mandate, merchant, amount.isGreaterThan(terms.confirmationThreshold()));
  }

  /**
   * Counts a payment against its mandate's day and month (business date now). Idempotent per payment id.
   *
   * @return whether it was counted now (false: it was already)
   * @throws MandateException when the mandate is unknown, the currency differs, or too many payments are remembered
   */
  public synchronized boolean recordUsage(MandateId id, String paymentId, Money amount) {
    return recordUsage(id, paymentId, amount, clock.businessDate());
  }

  /**
   * Counts a payment against the day and month of {@code businessDate} (rebuilding usage from stored
   * payments at start-up). Idempotent per payment id.
   *
   * @return whether it was counted now (false: it was already)
   * @throws MandateException when the mandate is unknown, the currency differs, or too many payments are remembered
   */
  public synchronized boolean recordUsage(MandateId id, String paymentId, Money amount, LocalDate businessDate) {
    Mandate mandate = require(id);
    Objects.requireNonNull(paymentId, "paymentId");
    Objects.requireNonNull(businessDate, "businessDate");
    if (usageByPayment.containsKey(paymentId)) {
      return false;
    }
    if (!amount.currency().equals(mandate.terms().currency()) || !amount.isPositive()) {
      throw new MandateException("usage of payment " + paymentId + ": " + amount + " is not a positive amount in " + mandate.terms().currency());
    }
    if (usageByPayment.size() >= USAGES_MAX) {
      throw new MandateException("usage of payment " + paymentId + ": more than " + USAGES_MAX + " payments remembered");
    }
    usageByPayment.put(paymentId, new Usage(id, businessDate, amount.amountMinor()));
    add(dayTotals, id, businessDate, amount.amountMinor());
    add(monthTotals, id, YearMonth.from(businessDate), amount.amountMinor());
    return true;
  }

  /**
   * Gives a voided payment's amount back to the day and month it was counted in. Idempotent.
   *
   * @return whether usage was released now
   */
  public synchronized boolean releaseUsage(String paymentId) {
    Usage usage = usageByPayment.remove(paymentId);
    if (usage == null) {
      return false;
    }
    add(dayTotals, usage.mandateId(), usage.day(), -usage.amountMinor());
    add(monthTotals, usage.mandateId(), YearMonth.from(usage.day()), -usage.amountMinor());
    return true;
  }

  /** Minor units counted against the mandate on a business date. */
  public synchronized long usedOnMinor(MandateId id, LocalDate businessDate) {
    return usedMinor(dayTotals, id, businessDate);
  }

  /** Minor units counted against the mandate in a month of business dates. */
  public synchronized long usedInMinor(MandateId id, YearMonth month) {
    return usedMinor(monthTotals, id, month);
  }

  private Mandate transition(MandateId id, MandateStatus target) {
    Mandate mandate = require(id);
    if (mandate.status() == MandateStatus.REVOKED) {
      throw new MandateException("mandate " + id + " is revoked and cannot become " + target);
    }
    Mandate changed = mandate.withStatus(target);
    if (mandate.status() != target) {
      persist(() -> store.updateStatus(id, target), target + " of " + id);
    }
    mandates.put(id, changed);
    return changed;
  }

  private Mandate require(MandateId id) {
    Mandate mandate = mandates.get(Objects.requireNonNull(id, "id"));
    if (mandate == null) {
      throw new MandateException("mandate " + id + " is unknown");
    }
    return mandate;
  }

  private static <K> long usedMinor(Map<MandateId, Map<K, Long>> totals, MandateId id, K period) {
    Map<K, Long> byPeriod = totals.get(id);
    return byPeriod == null ? 0 : byPeriod.getOrDefault(period, 0L);
  }

  private static <K> void add(Map<MandateId, Map<K, Long>> totals, MandateId id, K period, long deltaMinor) {
    long after = Math.addExact(usedMinor(totals, id, period), deltaMinor);
    Assert.that(after >= 0, "mandate usage went negative [mandate={}, period={}]", id, period);
    totals.computeIfAbsent(id, k -> new HashMap<>()).put(period, after);
  }
}
