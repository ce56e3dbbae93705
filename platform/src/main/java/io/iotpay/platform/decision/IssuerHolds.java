package io.iotpay.platform.decision;

import io.iotpay.foundation.Assert;
import io.iotpay.platform.mandate.MandateCheck;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The platform's side of the money at the issuer: places holds (one or a batch), captures and releases
 * them through the {@link Authoriser}, every request id derived from the payment's key
 * ({@link TransferIds}) so a retry applies each step once. Remembers the holds placed whose decision
 * could not be recorded (orphans), so a later attempt that does not approve releases them at once.
 * Callers hold the {@link DecisionBook}'s lock.
 */
final class IssuerHolds {
  private final Authoriser authoriser;
  private final long holdTimeoutMs;
  /** Holds placed whose decision could not be recorded (see {@link #releaseOrphan}), by key. */
  private final Map<IdempotencyKey, Authoriser.HoldRequest> orphans = new HashMap<>();

  IssuerHolds(Authoriser authoriser, long holdTimeoutMs) {
    this.authoriser = Objects.requireNonNull(authoriser, "authoriser");
    this.holdTimeoutMs = holdTimeoutMs;
  }

  /** The hold an approval asks for: the mandate's account to the merchant's settlement account. */
  Authoriser.HoldRequest request(PaymentDecision decision, MandateCheck.Covered ok) {
    IdempotencyKey key = decision.key();
    return new Authoriser.HoldRequest(TransferIds.hold(key), ok.mandate().accountId(), ok.merchant().settlementAccountId(),
        decision.amount(), holdTimeoutMs, key.text());
  }

  /** @throws DecisionStoreException when the issuer's answer was lost; retry */
  AuthoriserResult hold(PaymentDecision decision, MandateCheck.Covered ok) {
    Authoriser.HoldRequest h = request(decision, ok);
    return ask(() -> authoriser.hold(h.requestId(), h.accountId(), h.payeeAccountId(), h.amount(), h.timeoutMs(), h.reference()),
        "hold of " + decision.key());
  }

  /** All holds in one exchange. @throws AuthoriserException when the answers were lost (the caller undoes its own steps) */
  List<AuthoriserResult> holdAll(List<Authoriser.HoldRequest> requests) {
    return authoriser.holdAll(requests);
  }

  /** @throws DecisionStoreException when the issuer's answer was lost; retry */
  AuthoriserResult capture(Payment payment) {
    IdempotencyKey key = payment.key();
    return ask(() -> authoriser.capture(TransferIds.capture(key), heldBy(payment), payment.amount().amountMinor()),
        PaymentState.CAPTURED + " of " + key);
  }

  /** @throws DecisionStoreException when the issuer's answer was lost; retry */
  AuthoriserResult release(Payment payment) {
    IdempotencyKey key = payment.key();
    return ask(() -> authoriser.release(TransferIds.release(key), heldBy(payment)), PaymentState.VOIDED + " of " + key);
  }

  /** The hold of {@code payment} as it was asked for. */
  private Authoriser.HoldRequest heldBy(Payment payment) {
    return new Authoriser.HoldRequest(payment.holdTransferId(), payment.debitAccountId(), payment.creditAccountId(),
        payment.amount(), holdTimeoutMs, payment.key().text());
  }

  /** The hold of {@code decision} was placed but its decision was not recorded. */
  void orphaned(PaymentDecision decision, MandateCheck check) {
    orphans.put(decision.key(), request(decision, (MandateCheck.Covered) check));
  }

  /** The decision of {@code key} is recorded: its hold, if any, is no orphan. */
  void recorded(IdempotencyKey key) {
    orphans.remove(key);
  }

  /**
   * An earlier attempt for this key placed its hold but could not record the decision; this attempt
   * does not approve (the mandate or risk changed meanwhile), so that hold must not wait for its
   * timeout. (After a crash this set is empty and such a hold expires after {@code holdTimeoutMs}.)
   */
  void releaseOrphan(IdempotencyKey key) {
    Authoriser.HoldRequest hold = orphans.get(key);
    if (hold == null) {
      return;
    }
    AuthoriserResult result = ask(() -> authoriser.release(TransferIds.release(key), hold),
        "release of the unrecorded hold of " + key);
    Assert.that(result.approved() || result.status() == AuthoriserResult.Status.HOLD_EXPIRED,
        "cannot release the unrecorded hold of {}: {} {}", key, result.status(), result.detail());
    orphans.remove(key);
  }

  /** One step at the issuer; an unknown outcome becomes the services' "retry" exception. */
  private static AuthoriserResult ask(Supplier<AuthoriserResult> step, String what) {
    try {
      return step.get();
    } catch (AuthoriserException e) {
      throw new DecisionStoreException("the issuer did not complete " + what + "; retry", e);
    }
  }
}
