package io.iotpay.platform.rules;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The billers and their outstanding bills: the model of the utility's bill inquiry that the smart
 * speaker's voice payment looks the amount up in (the user says "pay my electricity bill", never an
 * amount). Thread-safe.
 */
public final class BillerDirectory {
  /** Bills held at most: a bound on memory. */
  public static final int BILLS_MAX = 1_000_000;

  private final Map<String, Biller> billers = new HashMap<>();
  private final Map<String, Bill> outstanding = new LinkedHashMap<>();

  public synchronized void addBiller(Biller biller) {
    billers.put(Objects.requireNonNull(biller, "biller").billerId(), biller);
  }

  /** The biller; empty when unknown. */
  public synchronized Optional<Biller> biller(String billerId) {
    return Optional.ofNullable(billers.get(billerId));
  }

  /**
   * Issues a bill. @throws RuleInputException when the biller is unknown, the id is taken or the directory is full
   */
  public synchronized void issue(Bill bill) {
    Objects.requireNonNull(bill, "bill");
    if (!billers.containsKey(bill.billerId())) {
      throw new RuleInputException("bill " + bill.billId() + ": biller " + bill.billerId() + " is unknown");
    }
    if (outstanding.containsKey(bill.billId())) {
      throw new RuleInputException("bill " + bill.billId() + " exists already");
    }
    if (outstanding.size() >= BILLS_MAX) {
      throw new RuleInputException("bill " + bill.billId() + ": more than " + BILLS_MAX + " bills outstanding");
    }
    outstanding.put(bill.billId(), bill);
  }

  /** The customer's oldest-due outstanding bill at the biller; empty when nothing is due. */
  public synchronized Optional<Bill> outstanding(String billerId, String customerRef) {
    return outstanding.values().stream()
        .filter(b -> b.billerId().equals(billerId) && b.customerRef().equals(customerRef))
        .min(Comparator.comparing(Bill::dueDate).thenComparing(Bill::billId));
  }

  /** Marks a bill paid (it is no longer outstanding). @return whether it was outstanding */
  public synchronized boolean markPaid(String billId) {
    return outstanding.remove(billId) != null;
  }
}
