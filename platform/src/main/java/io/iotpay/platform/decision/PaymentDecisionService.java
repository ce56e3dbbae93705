package io.iotpay.platform.decision;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.time.BusinessClock;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.Checkpoint;
import io.iotpay.ledger.audit.InclusionProof;
import io.iotpay.ledger.audit.TreeHasher;
import io.iotpay.foundation.store.Database;
import io.iotpay.platform.mandate.Mandate;
import io.iotpay.platform.mandate.MandateCheck;
import io.iotpay.platform.mandate.MandateId;
import io.iotpay.platform.mandate.MandateRegistry;
import io.iotpay.platform.mandate.Merchant;
import io.iotpay.platform.mandate.MerchantDirectory;
import io.iotpay.platform.risk.RiskAssessment;
import io.iotpay.platform.risk.RiskEngine;
import io.iotpay.platform.risk.RiskOutcome;
import io.iotpay.platform.risk.RiskReason;
import io.iotpay.platform.risk.RiskRequest;
import io.iotpay.platform.state.GeoPoint;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's payment decisions: takes a {@link PaymentIntent}, checks the device's mandate and
 * risk, records the {@link PaymentDecision} as an audit leaf ({@link DecisionCodec}), and for an
 * approval asks the issuer, through an {@link Authoriser}, to hold the money (user's account →
 * merchant's settlement account), captured on delivery or released otherwise. In production the
 * authoriser is a {@link ProtocolAuthoriser}: each step travels as an authorisation message
 * (docs/authorisation.md) and the issuer posts it to its ledger.
 *
 * <p><b>Idempotency.</b> The same key always gets the same decision and never a second hold: the
 * first decision is remembered by key, and every request id sent to the issuer is derived from the
 * key ({@link TransferIds}), so even a retry after a failure half-way (a lost answer included)
 * applies each step once.
 *
 * <p><b>Order of steps.</b> Issuer hold first, audit leaf second, usage and velocity last: if the
 * issuer's answer is lost or the audit append fails the call throws {@link DecisionStoreException}
 * and a retry with the same intent finds the hold already applied (the issuer answers the same
 * approval again) and completes.
 *
 * <p><b>Storage.</b> Each decision's audit leaf, its row and (for an approval) the payment row commit in
 * one transaction; capture and void update the payment row. On start the service reloads them and
 * checks every row against its audit leaf, so a restart keeps "same key, same decision".
 *
 * <p>Thread-safe; decisions are serialised (one lock), which keeps "same key, same decision" simple
 * and correct.
 */
public final class PaymentDecisionService {
  private static final Logger log = LoggerFactory.getLogger(PaymentDecisionService.class);

  /** Most intents in one {@link #decideAll} batch (the audit log's rows per insert). */
  public static final int BATCH_MAX = 4096;

  private final BusinessClock clock;
  private final MandateRegistry mandates;
  private final MerchantDirectory merchants;
  private final RiskEngine risk;
  private final Authoriser authoriser;
  private final AuditLog auditLog;
  private final DecisionConfig config;
  private final DecisionStore store;
  private final Map<IdempotencyKey, List<PaymentDecision>> decisions = new HashMap<>();
  private final Map<IdempotencyKey, Payment> payments = new HashMap<>();
  /** Keys whose hold was placed but whose decision could not be recorded (see {@link #releaseOrphanHold}). */
  private final java.util.Set<IdempotencyKey> orphanHolds = new java.util.HashSet<>();
  private final List<PaymentListener> listeners = new CopyOnWriteArrayList<>();
  private long approved;
  private long declined;
  private long confirmationsRequested;
  private long duplicatesSuppressed;

  /**
   * Opens the service: migrates its tables ({@code db/platform}) and reloads every stored decision and
   * payment, so idempotency survives a restart. Every argument never null.
   *
   * @param database the store the audit log was opened on (a decision row and its audit leaf commit in
   *     one transaction)
   * @param authoriser the issuer's holds, captures and releases (a {@link ProtocolAuthoriser} in production)
   * @throws DecisionStoreException when the stored decisions cannot be read
   * @throws AssertionError when a stored decision is not the audit leaf it claims (a corrupt store)
   */
  public PaymentDecisionService(Database database, BusinessClock clock, MandateRegistry mandates, MerchantDirectory merchants,
      RiskEngine risk, Authoriser authoriser, AuditLog auditLog, DecisionConfig config) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.mandates = Objects.requireNonNull(mandates, "mandates");
    this.merchants = Objects.requireNonNull(merchants, "merchants");
    this.risk = Objects.requireNonNull(risk, "risk");
    this.authoriser = Objects.requireNonNull(authoriser, "authoriser");
    this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    this.config = Objects.requireNonNull(config, "config");
    this.store = new DecisionStore(Objects.requireNonNull(database, "database"));
    reload();
  }

  private void reload() {
    TreeHasher hasher = TreeHasher.of(auditLog.suite());
    try {
      for (DecisionStore.StoredDecision row : store.decisions()) {
        Assert.that(row.auditIndex() < auditLog.size()
            && MessageDigest.isEqual(hasher.leafHash(row.entry()), auditLog.leafHash(row.auditIndex())),
            "stored decision at audit index {} is not that audit leaf", row.auditIndex());
        PaymentDecision decision = DecisionCodec.decode(row.entry(), row.auditIndex());
        List<PaymentDecision> versions = decisions.computeIfAbsent(decision.key(), k -> new ArrayList<>(2));
        Assert.that(versions.size() == decision.version(), "decision {} version {} stored out of order", decision.key(), decision.version());
        versions.add(decision);
        risk.recordDecided(decision.intent().deviceId(), decision.key().counter());
      }
      for (Payment payment : store.payments()) {
        payments.put(payment.key(), payment);
        if (payment.state() == PaymentState.HELD || payment.state() == PaymentState.CAPTURED) {
          countAgain(payment);
        }
      }
    } catch (SQLException e) {
      throw new DecisionStoreException("cannot read the stored decisions", e);
    }
    log.info("Payment decisions reloaded [keys={}, payments={}]", decisions.size(), payments.size());
  }

  public void addListener(PaymentListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Usage and velocity are not stored: they are rebuilt from the approved payments that still count. */
  private void countAgain(Payment payment) {
    PaymentDecision approval = latest(payment.key());
    Assert.that(approval.outcome() == DecisionOutcome.APPROVED, "payment {} stored without an approval", payment.key());
    MandateId mandateId = new MandateId(approval.mandateId());
    if (mandates.find(mandateId).isPresent()) {
      mandates.recordUsage(mandateId, payment.key().text(), payment.amount(), clock.rule().businessDateOf(approval.decidedAt()));
    }
    risk.recordApproved(payment.key().deviceId(), payment.key().text(), payment.amount().amountMinor(), approval.decidedAt());
  }

  /**
   * Decides a payment intent, or returns the decision already made for its key (the latest version).
   *
   * @throws DecisionInputException when the key was used by a different intent, or too many keys are remembered
   * @throws DecisionStoreException when the issuer's answer was lost or the audit log failed; retry with the same intent
   */
  public synchronized PaymentDecision decide(PaymentIntent intent) {
    Objects.requireNonNull(intent, "intent");
    List<PaymentDecision> existing = decisions.get(intent.key());
    if (existing != null) {
      if (!existing.get(0).intent().equals(intent)) {
        throw new DecisionInputException("idempotency key " + intent.key() + " was already used by a different payment intent");
      }
      duplicatesSuppressed++;
      return existing.get(existing.size() - 1);
    }
    if (decisions.size() >= config.decisionsMax()) {
      throw new DecisionInputException("payment " + intent.key() + ": decisionsMax " + config.decisionsMax() + " reached");
    }
    MandateCheck check = mandates.check(intent.deviceId(), intent.merchantId(), intent.amount());
    GeoPoint merchantPlace = merchants.find(intent.merchantId()).map(Merchant::location).orElse(null);
    RiskAssessment assessment = risk.assess(new RiskRequest(intent.deviceId(), intent.key().counter(), intent.amount(), merchantPlace));
    PaymentDecision decision = firstDecision(intent, check, assessment);
    if (decision.outcome() != DecisionOutcome.APPROVED) {
      releaseOrphanHold(intent.key());
    }
    PaymentDecision recorded = record(decision, check);
    risk.recordDecided(intent.deviceId(), intent.key().counter());
    return recorded;
  }

  /**
   * Decides many intents at once, as {@link #decide} would one after another, with one issuer batch for
   * all the holds and one store transaction for all the audit leaves and rows: the throughput path of
   * the inbox pipeline. Limits and velocity of earlier intents in the batch count for later ones.
   *
   * @return the decisions in the order of {@code intents}
   * @throws DecisionInputException when a key was used by a different intent, or too many keys are
   *     remembered; nothing of the batch was decided
   * @throws DecisionStoreException when the issuer's answer was lost or the store failed; nothing of the
   *     batch was recorded, and a retry with the same intents completes it
   */
  public synchronized List<PaymentDecision> decideAll(List<PaymentIntent> intents) {
    int n = intents.size();
    if (n > BATCH_MAX) {
      throw new DecisionInputException("a batch of " + n + " payment intents (at most " + BATCH_MAX + ")");
    }
    PaymentDecision[] out = new PaymentDecision[n];
    Map<IdempotencyKey, Integer> firstInBatch = new HashMap<>();
    for (int i = 0; i < n; i++) {
      PaymentIntent intent = Objects.requireNonNull(intents.get(i), "intent");
      List<PaymentDecision> existing = decisions.get(intent.key());
      Integer first = firstInBatch.putIfAbsent(intent.key(), i);
      PaymentIntent original = existing != null ? existing.get(0).intent() : first != null ? intents.get(first) : null;
      if (original != null && !original.equals(intent)) {
        throw new DecisionInputException("idempotency key " + intent.key() + " was already used by a different payment intent");
      }
    }
    if (decisions.size() + firstInBatch.size() > config.decisionsMax()) {
      throw new DecisionInputException("a batch of " + n + " payments would pass decisionsMax " + config.decisionsMax());
    }
    // Judge each new intent in order; approvals count against limits and velocity at once.
    List<Integer> fresh = new ArrayList<>();
    Map<Integer, MandateCheck> checks = new HashMap<>();
    List<Integer> toHold = new ArrayList<>();
    List<Authoriser.HoldRequest> holdRequests = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      PaymentIntent intent = intents.get(i);
      if (decisions.containsKey(intent.key()) || firstInBatch.get(intent.key()) != i) {
        continue;
      }
      MandateCheck check = mandates.check(intent.deviceId(), intent.merchantId(), intent.amount());
      GeoPoint merchantPlace = merchants.find(intent.merchantId()).map(Merchant::location).orElse(null);
      RiskAssessment assessment = risk.assess(new RiskRequest(intent.deviceId(), intent.key().counter(), intent.amount(), merchantPlace));
      PaymentDecision judged = judge(intent, check, assessment);
      out[i] = judged;
      checks.put(i, check);
      fresh.add(i);
      if (judged.outcome() == DecisionOutcome.APPROVED) {
        MandateCheck.Covered ok = (MandateCheck.Covered) check;
        mandates.recordUsage(ok.mandate().id(), intent.key().text(), intent.amount());
        risk.recordApproved(intent.deviceId(), intent.key().text(), intent.amount().amountMinor());
        toHold.add(i);
        holdRequests.add(new Authoriser.HoldRequest(TransferIds.hold(intent.key()), ok.mandate().accountId(),
            ok.merchant().settlementAccountId(), intent.amount(), config.holdTimeoutMs(), intent.key().text()));
      } else {
        releaseOrphanHold(intent.key());
      }
    }
    List<AuthoriserResult> held = List.of();
    if (!holdRequests.isEmpty()) {
      try {
        held = authoriser.holdAll(holdRequests);
      } catch (AuthoriserException e) {
        releaseProvisional(intents, toHold);
        throw new DecisionStoreException("the issuer did not complete a batch of " + holdRequests.size() + " holds; retry", e);
      }
    }
    for (int k = 0; k < toHold.size(); k++) {
      int i = toHold.get(k);
      PaymentDecision judged = out[i];
      AuthoriserResult result = held.get(k);
      MandateCheck.Covered ok = (MandateCheck.Covered) checks.get(i);
      out[i] = holdOutcome(judged, ok, result);
      if (!result.approved()) {
        releaseProvisional(intents, List.of(i));
      }
    }
    // One transaction for every new decision's leaf and rows.
    List<PaymentDecision> toStore = new ArrayList<>(fresh.size());
    List<Payment> paymentsToStore = new ArrayList<>(fresh.size());
    for (int i : fresh) {
      toStore.add(out[i]);
      paymentsToStore.add(paymentOf(out[i], checks.get(i)));
    }
    long firstIndex;
    try {
      firstIndex = toStore.isEmpty() ? -1 : storeAll(toStore, paymentsToStore);
    } catch (DecisionStoreException e) {
      for (int i : fresh) {
        if (out[i].holdTransferId() != 0) {
          orphanHolds.add(out[i].key());
        }
      }
      releaseProvisional(intents, fresh.stream().filter(i -> out[i].outcome() == DecisionOutcome.APPROVED).toList());
      throw e;
    }
    for (int f = 0; f < fresh.size(); f++) {
      int i = fresh.get(f);
      PaymentDecision recorded = out[i].withAuditIndex(firstIndex + f);
      out[i] = recorded;
      orphanHolds.remove(recorded.key());
      risk.recordDecided(recorded.intent().deviceId(), recorded.key().counter());
      decisions.computeIfAbsent(recorded.key(), key -> new ArrayList<>(2)).add(recorded);
      count(recorded.outcome());
      if (paymentsToStore.get(f) != null) {
        payments.put(recorded.key(), paymentsToStore.get(f));
      }
      for (PaymentListener listener : listeners) {
        listener.decided(recorded);
      }
    }
    for (int i = 0; i < n; i++) {
      if (out[i] == null) {
        duplicatesSuppressed++;
        List<PaymentDecision> versions = decisions.get(intents.get(i).key());
        out[i] = versions.get(versions.size() - 1);
      }
    }
    log.debug("Payment batch decided [intents={}, new={}, holds={}]", n, fresh.size(), toHold.size());
    return List.of(out);
  }

  /** Undoes the provisional limit and velocity usage of approvals that will not be recorded. */
  private void releaseProvisional(List<PaymentIntent> intents, List<Integer> indices) {
    for (int i : indices) {
      PaymentIntent intent = intents.get(i);
      mandates.releaseUsage(intent.key().text());
      risk.releaseApproved(intent.deviceId(), intent.key().text());
    }
  }

  private static Payment paymentOf(PaymentDecision decision, MandateCheck check) {
    if (decision.outcome() != DecisionOutcome.APPROVED) {
      return null;
    }
    MandateCheck.Covered covered = (MandateCheck.Covered) check;
    return new Payment(decision.key(), decision.holdTransferId(), covered.mandate().accountId(),
        covered.merchant().settlementAccountId(), decision.amount(), PaymentState.HELD);
  }

  /** Every leaf and row of a batch in one transaction; returns the first leaf's index (the rest follow in order). */
  private long storeAll(List<PaymentDecision> batch, List<Payment> batchPayments) {
    List<byte[]> entries = new ArrayList<>(batch.size());
    for (PaymentDecision decision : batch) {
      entries.add(DecisionCodec.encode(decision));
    }
    try (Connection tx = store.database().connection()) {
      tx.setAutoCommit(false);
      try {
        long first = auditLog.append(tx, entries);
        DecisionStore.insertAll(tx, batch, first, entries, batchPayments);
        tx.commit();
        auditLog.committed();
        return first;
      } catch (SQLException | RuntimeException e) {
        tx.rollback();
        auditLog.rolledBack();
        throw e;
      } finally {
        tx.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new DecisionStoreException("cannot record a batch of " + batch.size() + " decisions", e);
    }
  }

  /**
   * An earlier attempt for this key placed its hold but could not record the decision; this attempt
   * does not approve (the mandate or risk changed meanwhile), so that hold must not wait for its
   * timeout. (After a crash this set is empty and such a hold expires after {@code holdTimeoutMs}.)
   */
  private void releaseOrphanHold(IdempotencyKey key) {
    if (!orphanHolds.contains(key)) {
      return;
    }
    AuthoriserResult result = ask(() -> authoriser.release(TransferIds.release(key), TransferIds.hold(key)),
        "release of the unrecorded hold of " + key);
    Assert.that(result.approved() || result.status() == AuthoriserResult.Status.HOLD_EXPIRED,
        "cannot release the unrecorded hold of {}: {} {}", key, result.status(), result.detail());
    orphanHolds.remove(key);
  }

  private PaymentDecision firstDecision(PaymentIntent intent, MandateCheck check, RiskAssessment assessment) {
    PaymentDecision judged = judge(intent, check, assessment);
    return judged.outcome() == DecisionOutcome.APPROVED ? hold(judged, (MandateCheck.Covered) check) : judged;
  }

  /** The decision mandate and risk lead to, before any hold: APPROVED here means "hold, then approve". */
  private PaymentDecision judge(PaymentIntent intent, MandateCheck check, RiskAssessment assessment) {
    List<DecisionReason> reasons = new ArrayList<>();
    String mandateId = null;
    boolean covered = false;
    boolean askUser = assessment.outcome() == RiskOutcome.ASK_USER;
    switch (check) {
      case MandateCheck.Refused refused -> {
        mandateId = refused.mandate() == null ? null : refused.mandate().id().value();
        reasons.add(new DecisionReason(refused.reason().name(), refused.detail()));
      }
      case MandateCheck.Covered ok -> {
        mandateId = ok.mandate().id().value();
        covered = true;
        askUser |= confirmationReasons(intent, ok, reasons);
      }
    }
    for (RiskReason reason : assessment.reasons()) {
      reasons.add(new DecisionReason(reason.signal().name(), reason.detail()));
    }
    DecisionOutcome outcome = !covered || assessment.outcome() == RiskOutcome.DECLINE
        ? DecisionOutcome.DECLINED
        : askUser ? DecisionOutcome.ASK_USER : DecisionOutcome.APPROVED;
    return new PaymentDecision(intent.key(), 0, intent, outcome, reasons, mandateId, 0, clock.now(), -1);
  }

  /** Adds the confirmation reasons; true when the user must confirm in their app. */
  private static boolean confirmationReasons(PaymentIntent intent, MandateCheck.Covered ok, List<DecisionReason> reasons) {
    if (intent.userConfirmationRequired()) {
      reasons.add(new DecisionReason("RULE_REQUIRES_USER", "the rule asks the user to approve every payment of this kind"));
      return true;
    }
    if (!ok.confirmationRequired()) {
      return false;
    }
    if (intent.confirmedOnDevice()) {
      reasons.add(new DecisionReason("CONFIRMED_ON_DEVICE", intent.amount() + " above threshold "
          + ok.mandate().terms().confirmationThreshold() + ", confirmed by the user on the device"));
      return false;
    }
    reasons.add(new DecisionReason("CONFIRMATION_THRESHOLD", intent.amount() + " above threshold " + ok.mandate().terms().confirmationThreshold()));
    return true;
  }

  /**
   * Records the user's answer to an {@link DecisionOutcome#ASK_USER} decision as version 1. Answering
   * again returns the recorded answer. An approval re-checks the mandate (it may have been suspended or
   * its limits used up meanwhile) and then holds the money.
   *
   * @param userId the device owner answering
   * @throws DecisionInputException when no decision with this key waits for an answer, or {@code userId} is not the owner
   * @throws DecisionStoreException when the issuer's answer was lost or the audit log failed; retry
   */
  public synchronized PaymentDecision answer(IdempotencyKey key, String userId, boolean approve) {
    List<PaymentDecision> versions = decisions.get(key);
    if (versions == null || versions.get(0).outcome() != DecisionOutcome.ASK_USER) {
      throw new DecisionInputException("payment " + key + " does not wait for the user's confirmation");
    }
    PaymentDecision asked = versions.get(0);
    requireOwner(asked, userId);
    if (versions.size() > 1) {
      return versions.get(1);
    }
    PaymentIntent intent = asked.intent();
    if (!approve) {
      releaseOrphanHold(key);
      return record(new PaymentDecision(key, 1, intent, DecisionOutcome.DECLINED,
          List.of(new DecisionReason("USER_DECLINED", "declined by user " + userId)), asked.mandateId(), 0, clock.now(), -1), null);
    }
    MandateCheck check = mandates.check(intent.deviceId(), intent.merchantId(), intent.amount());
    List<DecisionReason> reasons = new ArrayList<>();
    reasons.add(new DecisionReason("USER_APPROVED", "approved by user " + userId));
    PaymentDecision decision = switch (check) {
      case MandateCheck.Refused refused -> {
        releaseOrphanHold(key);
        reasons.add(new DecisionReason(refused.reason().name(), refused.detail()));
        yield new PaymentDecision(key, 1, intent, DecisionOutcome.DECLINED, reasons, asked.mandateId(), 0, clock.now(), -1);
      }
      case MandateCheck.Covered ok -> hold(new PaymentDecision(key, 1, intent, DecisionOutcome.APPROVED, reasons,
          ok.mandate().id().value(), 0, clock.now(), -1), ok);
    };
    return record(decision, check);
  }

  /** Places the hold; an approval whose hold the issuer refuses becomes a decline naming the refusal. */
  private PaymentDecision hold(PaymentDecision decision, MandateCheck.Covered ok) {
    IdempotencyKey key = decision.key();
    AuthoriserResult result = ask(() -> authoriser.hold(TransferIds.hold(key), ok.mandate().accountId(),
        ok.merchant().settlementAccountId(), decision.amount(), config.holdTimeoutMs(), key.text()), "hold of " + key);
    return holdOutcome(decision, ok, result);
  }

  /** The decision once the issuer answered its hold: approved with the hold's id, or declined naming the refusal. */
  private static PaymentDecision holdOutcome(PaymentDecision decision, MandateCheck.Covered ok, AuthoriserResult result) {
    IdempotencyKey key = decision.key();
    if (result.approved()) {
      return new PaymentDecision(key, decision.version(), decision.intent(), DecisionOutcome.APPROVED, decision.reasons(),
          decision.mandateId(), result.holdId(), decision.decidedAt(), -1);
    }
    List<DecisionReason> reasons = new ArrayList<>(decision.reasons());
    reasons.add(result.status() == AuthoriserResult.Status.INSUFFICIENT_FUNDS
        ? new DecisionReason("INSUFFICIENT_FUNDS", "account " + ok.mandate().accountId() + " cannot cover " + decision.amount())
        : new DecisionReason("ISSUER_REFUSED", "the issuer refused the hold: " + result.status() + " " + result.detail()));
    return new PaymentDecision(decision.key(), decision.version(), decision.intent(), DecisionOutcome.DECLINED, reasons,
        decision.mandateId(), 0, decision.decidedAt(), -1);
  }

  private PaymentDecision record(PaymentDecision decision, MandateCheck check) {
    Payment payment = null;
    if (decision.outcome() == DecisionOutcome.APPROVED) {
      MandateCheck.Covered covered = (MandateCheck.Covered) check;
      payment = new Payment(decision.key(), decision.holdTransferId(), covered.mandate().accountId(),
          covered.merchant().settlementAccountId(), decision.amount(), PaymentState.HELD);
    }
    long index;
    try {
      index = store(decision, payment);
    } catch (DecisionStoreException e) {
      if (decision.holdTransferId() != 0) {
        orphanHolds.add(decision.key());
      }
      throw e;
    }
    orphanHolds.remove(decision.key());
    PaymentDecision recorded = decision.withAuditIndex(index);
    decisions.computeIfAbsent(decision.key(), k -> new ArrayList<>(2)).add(recorded);
    count(recorded.outcome());
    if (payment != null) {
      mandates.recordUsage(((MandateCheck.Covered) check).mandate().id(), decision.key().text(), decision.amount());
      risk.recordApproved(decision.intent().deviceId(), decision.key().text(), decision.amount().amountMinor());
      payments.put(decision.key(), payment);
    }
    log.info("Payment decided [key={}, version={}, outcome={}, amountMinor={}, reasons={}, auditIndex={}]", recorded.key(),
        recorded.version(), recorded.outcome(), recorded.amount().amountMinor(), recorded.reasons().size(), index);
    for (PaymentListener listener : listeners) {
      listener.decided(recorded);
    }
    return recorded;
  }

  /** The audit leaf, the decision row and the payment row (if any) in one transaction; returns the leaf index. */
  private long store(PaymentDecision decision, Payment payment) {
    return storeAll(List.of(decision), java.util.Arrays.asList(payment));
  }

  private void count(DecisionOutcome outcome) {
    switch (outcome) {
      case APPROVED -> approved++;
      case DECLINED -> declined++;
      case ASK_USER -> confirmationsRequested++;
    }
  }

  /**
   * The goods or service were delivered: posts the hold. Idempotent (a captured payment is returned as is).
   *
   * @return the payment, CAPTURED, or EXPIRED when the hold had timed out first
   * @throws DecisionInputException when no approved payment has this key, or it was voided
   * @throws DecisionStoreException when the issuer's answer was lost; retry
   */
  public synchronized Payment capture(IdempotencyKey key) {
    Payment payment = requirePayment(key);
    return switch (payment.state()) {
      case CAPTURED, EXPIRED -> payment;
      case VOIDED -> throw new DecisionInputException("payment " + key + " was voided and cannot be captured");
      case HELD -> close(payment, () -> authoriser.capture(TransferIds.capture(key), payment.holdTransferId(),
          payment.amount().amountMinor()), PaymentState.CAPTURED);
    };
  }

  /**
   * The goods or service were not delivered: releases the hold and the mandate usage. Idempotent.
   *
   * @return the payment, VOIDED, or EXPIRED when the hold had timed out first
   * @throws DecisionInputException when no approved payment has this key, or it was captured
   * @throws DecisionStoreException when the issuer's answer was lost; retry
   */
  public synchronized Payment voidPayment(IdempotencyKey key) {
    Payment payment = requirePayment(key);
    return switch (payment.state()) {
      case VOIDED, EXPIRED -> payment;
      case CAPTURED -> throw new DecisionInputException("payment " + key + " was captured and cannot be voided");
      case HELD -> close(payment, () -> authoriser.release(TransferIds.release(key), payment.holdTransferId()), PaymentState.VOIDED);
    };
  }

  private Payment close(Payment payment, Supplier<AuthoriserResult> step, PaymentState target) {
    AuthoriserResult result = ask(step, target + " of " + payment.key());
    PaymentState state = switch (result.status()) {
      case APPROVED -> target;
      case HOLD_EXPIRED -> PaymentState.EXPIRED;
      // Any other refusal means the platform's payment record and the issuer's book disagree: a bug, not bad input.
      case INSUFFICIENT_FUNDS, UNKNOWN_ACCOUNT, UNKNOWN_HOLD, HOLD_CLOSED, ALREADY_DONE_DIFFERENTLY, REFUSED ->
          throw Assert.unreachable("issuer refused {} of payment {}: {} {}", target, payment.key(), result.status(), result.detail());
    };
    Payment closed = payment.withState(state);
    try {
      store.updatePaymentState(closed);
    } catch (SQLException e) {
      throw new DecisionStoreException("cannot store " + state + " of payment " + payment.key() + "; retry", e);
    }
    payments.put(payment.key(), closed);
    if (state != PaymentState.CAPTURED) {
      mandates.releaseUsage(payment.key().text());
      risk.releaseApproved(payment.key().deviceId(), payment.key().text());
    }
    log.info("Payment closed [key={}, state={}, amountMinor={}]", payment.key(), state, payment.amount().amountMinor());
    PaymentDecision decision = latest(payment.key());
    for (PaymentListener listener : listeners) {
      listener.closed(decision, closed);
    }
    return closed;
  }

  /** The latest decision for a key; empty when none was made. */
  public synchronized Optional<PaymentDecision> decision(IdempotencyKey key) {
    List<PaymentDecision> versions = decisions.get(key);
    return versions == null ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
  }

  /** Every recorded version of the decision for a key, oldest first; empty when none. */
  public synchronized List<PaymentDecision> versions(IdempotencyKey key) {
    return List.copyOf(decisions.getOrDefault(key, List.of()));
  }

  /**
   * The decisions still in progress, oldest first: asked of the user and not answered, or approved and
   * still held. A rule engine started after a restart resumes from them ({@code RuleEngine.resume}).
   */
  public synchronized List<PaymentDecision> openDecisions() {
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
    open.sort(java.util.Comparator.comparingLong(PaymentDecision::auditIndex));
    return open;
  }

  /** The payment approved under a key; empty when none. */
  public synchronized Optional<Payment> payment(IdempotencyKey key) {
    return Optional.ofNullable(payments.get(key));
  }

  public synchronized DecisionStats stats() {
    return new DecisionStats(approved, declined, confirmationsRequested, duplicatesSuppressed);
  }

  /**
   * Inclusion proofs of every version of a decision, for the device's owner: each against a signed
   * checkpoint covering it (one is signed now if needed), with the entry bytes, so the owner can check
   * it with the log's public key alone ({@link InclusionProof#problem}).
   *
   * @throws DecisionInputException when no decision has this key or {@code userId} does not own the device
   * @throws DecisionStoreException when the checkpoint cannot be stored
   */
  public List<InclusionProof> proofs(IdempotencyKey key, String userId) {
    List<PaymentDecision> versions;
    synchronized (this) {
      versions = decisions.get(key);
      if (versions == null) {
        throw new DecisionInputException("no decision for payment " + key);
      }
      requireOwner(versions.get(0), userId);
      versions = List.copyOf(versions);
    }
    Checkpoint checkpoint;
    try {
      checkpoint = auditLog.checkpointNow().orElseThrow();
    } catch (SQLException e) {
      throw new DecisionStoreException("cannot sign a checkpoint for the proof of " + key, e);
    }
    List<InclusionProof> proofs = new ArrayList<>(versions.size());
    for (PaymentDecision decision : versions) {
      long size = checkpoint.treeSize();
      Assert.that(decision.auditIndex() < size, "checkpoint of size {} does not cover leaf {}", size, decision.auditIndex());
      proofs.add(new InclusionProof(auditLog.suite(), decision.auditIndex(), size, auditLog.leafHash(decision.auditIndex()),
          auditLog.inclusionProof(decision.auditIndex(), size), auditLog.root(size), DecisionCodec.encode(decision), checkpoint));
    }
    return proofs;
  }

  private void requireOwner(PaymentDecision decision, String userId) {
    Optional<Mandate> mandate = decision.mandateId() != null
        ? mandates.find(new MandateId(decision.mandateId()))
        : mandates.liveMandateOf(decision.intent().deviceId());
    if (mandate.isEmpty() || !mandate.get().userId().equals(userId)) {
      throw new DecisionInputException("user " + userId + " does not own device " + decision.intent().deviceId());
    }
  }

  private Payment requirePayment(IdempotencyKey key) {
    Payment payment = payments.get(key);
    if (payment == null) {
      throw new DecisionInputException("no approved payment " + key);
    }
    return payment;
  }

  private PaymentDecision latest(IdempotencyKey key) {
    List<PaymentDecision> versions = decisions.get(key);
    return versions.get(versions.size() - 1);
  }

  /** One step at the issuer; an unknown outcome becomes the service's "retry" exception. */
  private static AuthoriserResult ask(Supplier<AuthoriserResult> step, String what) {
    try {
      return step.get();
    } catch (AuthoriserException e) {
      throw new DecisionStoreException("the issuer did not complete " + what + "; retry", e);
    }
  }
}
