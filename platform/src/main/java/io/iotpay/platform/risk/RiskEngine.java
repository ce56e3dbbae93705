package io.iotpay.platform.risk;

import io.iotpay.foundation.time.BusinessClock;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.state.DeviceState;
import io.iotpay.platform.state.DeviceStateRegistry;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Assesses a payment against the device's real-time state ({@link DeviceStateRegistry}) and its
 * recent payments (velocity, counters). Every signal that fires is kept as a reason; the outcome is
 * the strictest of their outcomes ({@link RiskSignal}).
 *
 * <p>The engine learns from the decision service: {@link #recordDecided} after every decided
 * payment (counter high-water mark), {@link #recordApproved} after an approval (velocity) and
 * {@link #releaseApproved} after a void. Thread-safe: per-device history is locked per device.
 */
public final class RiskEngine {
  private final DeviceStateRegistry states;
  private final BusinessClock clock;
  private final RiskConfig config;
  private final ConcurrentHashMap<DeviceId, History> histories = new ConcurrentHashMap<>();

  private record Approved(String paymentId, Instant at, long amountMinor) {}

  private static final class History {
    long highestDecidedCounter = -1;
    final Deque<Approved> approved = new ArrayDeque<>();
  }

  /** All arguments never null. */
  public RiskEngine(DeviceStateRegistry states, BusinessClock clock, RiskConfig config) {
    this.states = Objects.requireNonNull(states, "states");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.config = Objects.requireNonNull(config, "config");
  }

  /** Assesses one payment at business time now. Does not record it: the decision service does. */
  public RiskAssessment assess(RiskRequest request) {
    Optional<DeviceState> found = states.state(request.deviceId());
    List<RiskReason> reasons = new ArrayList<>();
    if (found.isEmpty()) {
      reasons.add(new RiskReason(RiskSignal.DEVICE_UNKNOWN, "no state for device " + request.deviceId()));
      return assessment(reasons);
    }
    DeviceState state = found.get();
    deviceSignals(state, reasons);
    locationSignals(state, request, reasons);
    historySignals(request, reasons);
    return assessment(reasons);
  }

  private void deviceSignals(DeviceState state, List<RiskReason> reasons) {
    if (states.offlineTooLong(state)) {
      reasons.add(new RiskReason(RiskSignal.OFFLINE_TOO_LONG, "offline, silent for " + state.silentFor(clock.now()).toMillis()
          + " ms > " + states.config().offlineTooLongMs() + " ms"));
    }
    if (state.tampered()) {
      reasons.add(new RiskReason(RiskSignal.TAMPERED, "the device reported tampering"));
    }
    if (state.cloneSuspicion() != null) {
      reasons.add(new RiskReason(RiskSignal.CLONE_SUSPECTED, state.cloneSuspicion()));
    }
  }

  private void locationSignals(DeviceState state, RiskRequest request, List<RiskReason> reasons) {
    if (request.merchantLocation() == null) {
      return;
    }
    if (state.location() == null) {
      reasons.add(new RiskReason(RiskSignal.LOCATION_UNKNOWN, "the merchant has a place but the device never reported its position"));
      return;
    }
    double metres = state.location().distanceMetresTo(request.merchantLocation());
    if (metres > config.merchantDistanceMetresMax()) {
      reasons.add(new RiskReason(RiskSignal.FAR_FROM_MERCHANT, String.format(Locale.ROOT,
          "device %.0f m from the merchant > %d m", metres, config.merchantDistanceMetresMax())));
    }
  }

  private void historySignals(RiskRequest request, List<RiskReason> reasons) {
    History history = histories.get(request.deviceId());
    if (history == null) {
      return;
    }
    synchronized (history) {
      if (request.counter() < history.highestDecidedCounter) {
        reasons.add(new RiskReason(RiskSignal.COUNTER_REGRESSION, "counter " + request.counter()
            + " below counter " + history.highestDecidedCounter + " of a payment already decided"));
      }
      Instant since = clock.now().minusMillis(config.velocityWindowMs());
      int count = 0;
      long amountMinor = 0;
      for (Approved approved : history.approved) {
        if (approved.at().isAfter(since)) {
          count++;
          amountMinor = saturatedSum(amountMinor, approved.amountMinor());
        }
      }
      if (count + 1 > config.velocityCountMax()) {
        reasons.add(new RiskReason(RiskSignal.VELOCITY_COUNT, (count + 1) + " payments in " + config.velocityWindowMs()
            + " ms > " + config.velocityCountMax()));
      }
      long withThis = saturatedSum(amountMinor, request.amount().amountMinor());
      if (withThis > config.velocityAmountMinorMax()) {
        reasons.add(new RiskReason(RiskSignal.VELOCITY_AMOUNT, withThis + " minor units in " + config.velocityWindowMs()
            + " ms > " + config.velocityAmountMinorMax()));
      }
    }
  }

  /** Notes that a payment with this counter was decided (any outcome), for counter regression. */
  public void recordDecided(DeviceId deviceId, long counter) {
    History history = histories.computeIfAbsent(deviceId, id -> new History());
    synchronized (history) {
      history.highestDecidedCounter = Math.max(history.highestDecidedCounter, counter);
    }
  }

  /** Notes an approved payment at business time now, for velocity. */
  public void recordApproved(DeviceId deviceId, String paymentId, long amountMinor) {
    recordApproved(deviceId, paymentId, amountMinor, clock.now());
  }

  /** Notes an approved payment approved at {@code at} (rebuilding velocity at start-up, oldest first). */
  public void recordApproved(DeviceId deviceId, String paymentId, long amountMinor, Instant at) {
    History history = histories.computeIfAbsent(deviceId, id -> new History());
    synchronized (history) {
      Instant since = clock.now().minusMillis(config.velocityWindowMs());
      // Old entries leave first; the bound keeps a device that pays constantly from growing memory.
      while (!history.approved.isEmpty()
          && (!history.approved.peekFirst().at().isAfter(since) || history.approved.size() >= config.paymentsRememberedMax())) {
        history.approved.removeFirst();
      }
      history.approved.addLast(new Approved(paymentId, at, amountMinor));
    }
  }

  /** Forgets an approved payment that was voided: it no longer counts towards velocity. */
  public void releaseApproved(DeviceId deviceId, String paymentId) {
    History history = histories.get(deviceId);
    if (history == null) {
      return;
    }
    synchronized (history) {
      history.approved.removeIf(a -> a.paymentId().equals(paymentId));
    }
  }

  /** Sums that stop at Long.MAX_VALUE: far above any bound, so the comparison stays right without overflow. */
  private static long saturatedSum(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
  }

  private static RiskAssessment assessment(List<RiskReason> reasons) {
    reasons.sort(Comparator.comparing(RiskReason::signal));
    RiskOutcome outcome = RiskOutcome.APPROVE;
    for (RiskReason reason : reasons) {
      outcome = outcome.max(reason.signal().outcome());
    }
    return new RiskAssessment(outcome, reasons);
  }
}
