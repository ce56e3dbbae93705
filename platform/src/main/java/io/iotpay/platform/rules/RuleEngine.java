package io.iotpay.platform.rules;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.money.MoneyException;
import io.iotpay.platform.decision.DecisionOutcome;
import io.iotpay.platform.decision.IdempotencyKey;
import io.iotpay.platform.decision.Payment;
import io.iotpay.platform.decision.PaymentDecision;
import io.iotpay.platform.decision.PaymentIntent;
import io.iotpay.platform.decision.PaymentListener;
import io.iotpay.platform.decision.PaymentState;
import io.iotpay.platform.identity.DeviceId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Turns device events into payment intents by the rules of a {@link RuleBook}. The platform decides
 * and initiates payments here, so devices stay simple.
 *
 * <p><b>Never two orders for one episode.</b> A level rule keeps, per device, the highest counter
 * seen and whether the level is low. An event whose counter is not above that is a duplicate or
 * arrived late and changes nothing, so redeliveries and reordering cannot end an episode early or
 * start a second one. With {@code oneOrderAtATime}, a new episode also waits until the previous order
 * is closed (declined, voided, expired or captured: this engine listens to the decision service).
 *
 * <p><b>Duplicates answer the same.</b> An event whose (rule, device, counter) already produced an
 * intent gets that same intent again, so the caller gets the same decision from the idempotent
 * decision service. A bill being paid is not paid again by a second voice request.
 *
 * <p>Thread-safe (one lock).
 */
public final class RuleEngine implements PaymentListener {
  /** Intents remembered for duplicate answers, and level slots kept at most: bounds on memory. */
  public static final int EMITTED_REMEMBERED_MAX = 100_000;
  public static final int SLOTS_MAX = 10_000_000;

  private final RuleBook book;
  private final BillerDirectory billers;
  private final Map<String, LevelSlot> slots = new HashMap<>();
  private final Map<String, PaymentIntent> emitted = new LinkedHashMap<>(1024, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, PaymentIntent> eldest) {
      return size() > EMITTED_REMEMBERED_MAX;
    }
  };
  private final Map<IdempotencyKey, InFlight> inFlight = new HashMap<>();
  private final Set<String> billsInProgress = new HashSet<>();
  private long events;
  private long intents;
  private long duplicateEvents;
  private long staleEvents;
  private long suppressedInProgress;
  private long nothingDue;

  private static final class LevelSlot {
    long highestCounter = -1;
    boolean low;
    IdempotencyKey orderInProgress;
  }

  private record InFlight(String slotKey, String billId) {}

  /** @param billers where bill-lookup rules find amounts; never null */
  public RuleEngine(RuleBook book, BillerDirectory billers) {
    this.book = Objects.requireNonNull(book, "book");
    this.billers = Objects.requireNonNull(billers, "billers");
  }

  /**
   * The payment intents an event causes (usually none or one).
   *
   * @throws RuleInputException naming the event and field when a field a rule needs is missing or malformed
   */
  public synchronized List<PaymentIntent> onEvent(DeviceEvent event) {
    Objects.requireNonNull(event, "event");
    events++;
    List<PaymentIntent> out = new ArrayList<>(1);
    IdempotencyKey key = new IdempotencyKey(event.deviceId(), event.counter());
    for (RuleDefinition rule : book.forDeviceType(event.deviceType())) {
      String emittedKey = rule.name() + "/" + key.text();
      PaymentIntent previous = emitted.get(emittedKey);
      if (previous != null) {
        duplicateEvents++;
        out.add(previous);
        continue;
      }
      Optional<PaymentIntent> intent = switch (rule.trigger()) {
        case Trigger.LevelBelow level -> level(rule, level, event, key);
        case Trigger.FieldEquals equals -> equals.value().equals(event.fields().get(equals.field()))
            ? intent(rule, event, key, null)
            : Optional.empty();
      };
      intent.ifPresent(i -> {
        intents++;
        emitted.put(emittedKey, i);
        out.add(i);
      });
    }
    return out;
  }

  private Optional<PaymentIntent> level(RuleDefinition rule, Trigger.LevelBelow trigger, DeviceEvent event, IdempotencyKey key) {
    long level = event.requireLong(trigger.field());
    String slotKey = rule.name() + "/" + event.deviceId().value();
    LevelSlot slot = slots.get(slotKey);
    if (slot == null) {
      if (slots.size() >= SLOTS_MAX) {
        throw new RuleInputException("rule " + rule.name() + ": more than " + SLOTS_MAX + " devices tracked");
      }
      slot = new LevelSlot();
      slots.put(slotKey, slot);
    }
    if (event.counter() <= slot.highestCounter) {
      staleEvents++;
      return Optional.empty();
    }
    slot.highestCounter = event.counter();
    if (level > trigger.threshold()) {
      slot.low = false; // the episode ends only when the level rises above the threshold again
      return Optional.empty();
    }
    if (level == trigger.threshold() || slot.low) {
      return Optional.empty();
    }
    slot.low = true;
    if (rule.oneOrderAtATime() && slot.orderInProgress != null) {
      suppressedInProgress++;
      return Optional.empty();
    }
    Optional<PaymentIntent> intent = intent(rule, event, key, slotKey);
    if (intent.isPresent()) {
      slot.orderInProgress = intent.get().key();
    }
    return intent;
  }

  private Optional<PaymentIntent> intent(RuleDefinition rule, DeviceEvent event, IdempotencyKey key, String slotKey) {
    String merchantId;
    Money amount;
    String reference = rule.referenceField() == null ? "" : event.fields().getOrDefault(rule.referenceField(), "");
    String billId = null;
    if (rule.amount() instanceof AmountSource.BillLookup lookup) {
      Optional<Bill> bill = billers.outstanding(event.require(lookup.billerField()), event.require(lookup.customerField()));
      if (bill.isEmpty()) {
        nothingDue++;
        return Optional.empty();
      }
      if (billsInProgress.contains(bill.get().billId())) {
        suppressedInProgress++;
        return Optional.empty();
      }
      billId = bill.get().billId();
      amount = bill.get().amount();
      reference = billId;
      merchantId = billers.biller(bill.get().billerId()).orElseThrow().merchantId();
    } else {
      merchantId = merchant(rule, event);
      amount = amount(rule, event);
    }
    boolean onDevice = rule.confirmation() == ConfirmationPolicy.DEVICE_CONFIRMED
        && "true".equals(event.fields().get(rule.confirmationField()));
    PaymentIntent intent = new PaymentIntent(key, merchantId, amount, rule.name(), reference, onDevice,
        rule.confirmation() == ConfirmationPolicy.USER_ALWAYS);
    inFlight.put(key, new InFlight(slotKey, billId));
    if (billId != null) {
      billsInProgress.add(billId);
    }
    return Optional.of(intent);
  }

  private static String merchant(RuleDefinition rule, DeviceEvent event) {
    return switch (rule.merchant()) {
      case MerchantSource.Fixed fixed -> fixed.merchantId();
      case MerchantSource.FromField field -> event.require(field.field());
      case MerchantSource.Biller biller -> throw new RuleInputException("rule " + rule.name() + ": biller merchant without bill lookup");
    };
  }

  private static Money amount(RuleDefinition rule, DeviceEvent event) {
    return switch (rule.amount()) {
      case AmountSource.Fixed fixed -> fixed.amount();
      case AmountSource.FromFields fields -> {
        try {
          yield Money.ofMinor(event.requireLong(fields.amountField()), CurrencyUnit.of(event.require(fields.currencyField())));
        } catch (MoneyException e) {
          throw new RuleInputException("event of " + event.deviceId() + " #" + event.counter() + ": " + e.getMessage(), e);
        }
      }
      case AmountSource.BillLookup lookup -> throw new RuleInputException("rule " + rule.name() + ": bill lookup handled before");
    };
  }

  /**
   * Resumes after a restart from the decisions still in progress
   * ({@code PaymentDecisionService.openDecisions()}): an open order of a level rule marks its device's
   * episode low and its order in progress; an open bill payment marks the bill in progress. Events at
   * or below the order's counter are then ignored as they were before the restart.
   */
  public synchronized void resume(List<PaymentDecision> openDecisions) {
    for (PaymentDecision decision : openDecisions) {
      Optional<RuleDefinition> rule = book.rules().stream().filter(r -> r.name().equals(decision.intent().origin())).findFirst();
      if (rule.isEmpty()) {
        continue; // a device request or a rule no longer in the book: nothing to resume here
      }
      IdempotencyKey key = decision.key();
      if (rule.get().trigger() instanceof Trigger.LevelBelow) {
        String slotKey = rule.get().name() + "/" + key.deviceId().value();
        LevelSlot slot = slots.computeIfAbsent(slotKey, k -> new LevelSlot());
        slot.highestCounter = Math.max(slot.highestCounter, key.counter());
        slot.low = true;
        slot.orderInProgress = key;
        inFlight.put(key, new InFlight(slotKey, null));
      } else if (rule.get().amount() instanceof AmountSource.BillLookup) {
        billsInProgress.add(decision.intent().reference());
        inFlight.put(key, new InFlight(null, decision.intent().reference()));
      } else {
        inFlight.put(key, new InFlight(null, null));
      }
      emitted.put(rule.get().name() + "/" + key.text(), decision.intent());
    }
  }

  /** A declined payment is no longer in progress (the episode stays: no second order for it). */
  @Override
  public synchronized void decided(PaymentDecision decision) {
    if (decision.outcome() == DecisionOutcome.DECLINED) {
      finish(decision.key(), false);
    }
  }

  /** A closed payment is no longer in progress; a captured bill is paid. */
  @Override
  public synchronized void closed(PaymentDecision decision, Payment payment) {
    finish(decision.key(), payment.state() == PaymentState.CAPTURED);
  }

  private void finish(IdempotencyKey key, boolean paid) {
    InFlight flight = inFlight.remove(key);
    if (flight == null) {
      return;
    }
    if (flight.slotKey() != null) {
      LevelSlot slot = slots.get(flight.slotKey());
      if (slot != null && key.equals(slot.orderInProgress)) {
        slot.orderInProgress = null;
      }
    }
    if (flight.billId() != null) {
      billsInProgress.remove(flight.billId());
      if (paid) {
        billers.markPaid(flight.billId());
      }
    }
  }

  /** Whether an order of this level rule is in progress for the device. */
  public synchronized boolean orderInProgress(String ruleName, DeviceId deviceId) {
    LevelSlot slot = slots.get(ruleName + "/" + deviceId.value());
    return slot != null && slot.orderInProgress != null;
  }

  public synchronized RuleStats stats() {
    return new RuleStats(events, intents, duplicateEvents, staleEvents, suppressedInProgress, nothingDue);
  }
}
