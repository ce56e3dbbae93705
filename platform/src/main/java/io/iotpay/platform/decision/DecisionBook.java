package io.iotpay.platform.decision;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the decision services remember in memory: every version of every decision and every approved
 * payment, by idempotency key, the counters of this run, and who is told about each step. Filled on
 * start from the store ({@link DecisionReload}), then kept in step with it by the services that record.
 *
 * <p>The book is also the services' one lock: deciding, answering, capturing and voiding each hold it
 * for their whole step (so "same key, same decision" stays simple and correct), and every method here
 * takes it too.
 */
final class DecisionBook {
  private final Map<IdempotencyKey, List<PaymentDecision>> decisions = new HashMap<>();
  private final Map<IdempotencyKey, Payment> payments = new HashMap<>();
  private final List<PaymentListener> listeners = new CopyOnWriteArrayList<>();
  private long approved;
  private long declined;
  private long confirmationsRequested;
  private long duplicatesSuppressed;

  void addListener(PaymentListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Every version for a key, oldest first; null when none was recorded. */
  synchronized List<PaymentDecision> versionsOrNull(IdempotencyKey key) {
    return decisions.get(key);
  }

  synchronized boolean knows(IdempotencyKey key) {
    return decisions.containsKey(key);
  }

  /** Keys remembered (the bound {@link DecisionConfig#decisionsMax()} applies to it). */
  synchronized int keys() {
    return decisions.size();
  }

  /** The latest version for a key that has one. */
  synchronized PaymentDecision latest(IdempotencyKey key) {
    List<PaymentDecision> versions = decisions.get(key);
    return versions.get(versions.size() - 1);
  }

  synchronized Optional<PaymentDecision> decision(IdempotencyKey key) {
    List<PaymentDecision> versions = decisions.get(key);
    return versions == null ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
  }

  synchronized List<PaymentDecision> versions(IdempotencyKey key) {
    return List.copyOf(decisions.getOrDefault(key, List.of()));
  }

  synchronized Optional<Payment> payment(IdempotencyKey key) {
    return Optional.ofNullable(payments.get(key));
  }

  /** Adds a version read back from the store (not counted: the counters are this run's). */
  synchronized void reloaded(PaymentDecision decision) {
    decisions.computeIfAbsent(decision.key(), k -> new ArrayList<>(2)).add(decision);
  }

  synchronized void reloaded(Payment payment) {
    payments.put(payment.key(), payment);
  }

  /** Adds a version just recorded (with its payment, if approved), counts it and tells the listeners. */
  synchronized void recorded(PaymentDecision decision, Payment payment) {
    decisions.computeIfAbsent(decision.key(), k -> new ArrayList<>(2)).add(decision);
    switch (decision.outcome()) {
      case APPROVED -> approved++;
      case DECLINED -> declined++;
      case ASK_USER -> confirmationsRequested++;
    }
    if (payment != null) {
      payments.put(decision.key(), payment);
    }
    for (PaymentListener listener : listeners) {
      listener.decided(decision);
    }
  }

  /** Replaces a payment by its closed state and tells the listeners. */
  synchronized void closed(Payment closed) {
    payments.put(closed.key(), closed);
    PaymentDecision decision = latest(closed.key());
    for (PaymentListener listener : listeners) {
      listener.closed(decision, closed);
    }
  }

  synchronized void duplicateSuppressed() {
    duplicatesSuppressed++;
  }

  /** Asked of the user and not answered, or approved and still held; oldest first. */
  synchronized List<PaymentDecision> openDecisions() {
    List<PaymentDecision> open = new ArrayList<>();
    for (List<PaymentDecision> versions : decisions.values()) {
      PaymentDecision latest = versions.get(versions.size() - 1);
      boolean waiting = latest.outcome() == DecisionOutcome.ASK_USER;
      Payment payment = payments.get(latest.key());
      boolean held = latest.outcome() == DecisionOutcome.APPROVED && payment != null && payment.state() == PaymentState.HELD;
      if (waiting || held) {
        open.add(latest);
      }
    }
    open.sort(Comparator.comparingLong(PaymentDecision::auditIndex));
    return open;
  }

  synchronized DecisionStats stats() {
    return new DecisionStats(approved, declined, confirmationsRequested, duplicatesSuppressed);
  }

  synchronized int payments() {
    return payments.size();
  }
}
