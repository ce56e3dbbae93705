package io.iotpay.platform.decision;

import io.iotpay.foundation.store.Database;
import io.iotpay.foundation.time.BusinessClock;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.InclusionProof;
import io.iotpay.platform.mandate.MandateCheck;
import io.iotpay.platform.mandate.MandateRegistry;
import io.iotpay.platform.mandate.MerchantDirectory;
import io.iotpay.platform.risk.RiskEngine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * <p><b>Parts.</b> This service decides (a first decision, a batch, the user's answer); each step it
 * takes is another class's one job, none of which calls back here: {@link DecisionJudge} (mandate and
 * risk), {@link IssuerHolds} (the money at the issuer), {@link DecisionRecorder} (audit leaf and rows in
 * one transaction), {@link DecisionBook} (what is remembered in memory), {@link DecisionReload} (the
 * book read back on start), {@link PaymentClosing} (capture and void) and {@link DecisionProofs}
 * (inclusion proofs for the owner).
 *
 * <p>Thread-safe; decisions, answers, captures and voids are serialised (one lock, the book), which
 * keeps "same key, same decision" simple and correct.
 */
public final class PaymentDecisionService {
  private static final Logger log = LoggerFactory.getLogger(PaymentDecisionService.class);

  /** Most intents in one {@link #decideAll} batch (the audit log's rows per insert). */
  public static final int BATCH_MAX = 4096;

  private final BusinessClock clock;
  private final MandateRegistry mandates;
  private final RiskEngine risk;
  private final DecisionConfig config;
  private final DecisionBook book = new DecisionBook();
  private final DecisionJudge judge;
  private final IssuerHolds holds;
  private final DecisionRecorder recorder;
  private final PaymentClosing closing;
  private final DecisionProofs proofs;

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
    this.risk = Objects.requireNonNull(risk, "risk");
    this.config = Objects.requireNonNull(config, "config");
    this.judge = new DecisionJudge(clock, mandates, merchants, risk);
    this.holds = new IssuerHolds(authoriser, config.holdTimeoutMs());
    this.recorder = new DecisionRecorder(database, Objects.requireNonNull(auditLog, "auditLog"));
    this.closing = new PaymentClosing(book, holds, recorder, mandates, risk);
    this.proofs = new DecisionProofs(book, auditLog, mandates);
    DecisionReload.into(book, recorder.store(), auditLog, clock, mandates, risk);
  }

  public void addListener(PaymentListener listener) {
    book.addListener(listener);
  }

  /**
   * Decides a payment intent, or returns the decision already made for its key (the latest version).
   *
   * @throws DecisionInputException when the key was used by a different intent, or too many keys are remembered
   * @throws DecisionStoreException when the issuer's answer was lost or the audit log failed; retry with the same intent
   */
  public PaymentDecision decide(PaymentIntent intent) {
    Objects.requireNonNull(intent, "intent");
    synchronized (book) {
      List<PaymentDecision> existing = book.versionsOrNull(intent.key());
      if (existing != null) {
        if (!existing.get(0).intent().equals(intent)) {
          throw new DecisionInputException("idempotency key " + intent.key() + " was already used by a different payment intent");
        }
        book.duplicateSuppressed();
        return existing.get(existing.size() - 1);
      }
      if (book.keys() >= config.decisionsMax()) {
        throw new DecisionInputException("payment " + intent.key() + ": decisionsMax " + config.decisionsMax() + " reached");
      }
      DecisionJudge.Judged judged = judge.judge(intent);
      PaymentDecision decision = judged.decision();
      if (decision.outcome() == DecisionOutcome.APPROVED) {
        MandateCheck.Covered ok = (MandateCheck.Covered) judged.check();
        decision = DecisionJudge.holdOutcome(decision, ok, holds.hold(decision, ok));
      }
      if (decision.outcome() != DecisionOutcome.APPROVED) {
        holds.releaseOrphan(intent.key());
      }
      PaymentDecision recorded = record(decision, judged.check());
      risk.recordDecided(intent.deviceId(), intent.key().counter());
      return recorded;
    }
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
  public List<PaymentDecision> decideAll(List<PaymentIntent> intents) {
    int n = intents.size();
    if (n > BATCH_MAX) {
      throw new DecisionInputException("a batch of " + n + " payment intents (at most " + BATCH_MAX + ")");
    }
    synchronized (book) {
      Map<IdempotencyKey, Integer> firstInBatch = firstOfEachKey(intents);
      if (book.keys() + firstInBatch.size() > config.decisionsMax()) {
        throw new DecisionInputException("a batch of " + n + " payments would pass decisionsMax " + config.decisionsMax());
      }
      Batch batch = judgeBatch(intents, firstInBatch);
      holdBatch(intents, batch);
      recordBatch(intents, batch);
      PaymentDecision[] out = batch.out;
      for (int i = 0; i < n; i++) {
        if (out[i] == null) {
          book.duplicateSuppressed();
          out[i] = book.latest(intents.get(i).key());
        }
      }
      log.debug("Payment batch decided [intents={}, new={}, holds={}]", n, batch.fresh.size(), batch.toHold.size());
      return List.of(out);
    }
  }

  /** A batch being decided: each intent's decision so far, which are new, their checks, which need a hold. */
  private record Batch(PaymentDecision[] out, List<Integer> fresh, Map<Integer, MandateCheck> checks, List<Integer> toHold,
      List<Authoriser.HoldRequest> holdRequests) {}

  /** The first index of each key in the batch; refuses a key used by a different intent (here or earlier). */
  private Map<IdempotencyKey, Integer> firstOfEachKey(List<PaymentIntent> intents) {
    Map<IdempotencyKey, Integer> firstInBatch = new HashMap<>();
    for (int i = 0; i < intents.size(); i++) {
      PaymentIntent intent = Objects.requireNonNull(intents.get(i), "intent");
      List<PaymentDecision> existing = book.versionsOrNull(intent.key());
      Integer first = firstInBatch.putIfAbsent(intent.key(), i);
      PaymentIntent original = existing != null ? existing.get(0).intent() : first != null ? intents.get(first) : null;
      if (original != null && !original.equals(intent)) {
        throw new DecisionInputException("idempotency key " + intent.key() + " was already used by a different payment intent");
      }
    }
    return firstInBatch;
  }

  /** Judges each new intent in order; approvals count against limits and velocity at once. */
  private Batch judgeBatch(List<PaymentIntent> intents, Map<IdempotencyKey, Integer> firstInBatch) {
    Batch batch = new Batch(new PaymentDecision[intents.size()], new ArrayList<>(), new HashMap<>(), new ArrayList<>(), new ArrayList<>());
    for (int i = 0; i < intents.size(); i++) {
      PaymentIntent intent = intents.get(i);
      if (book.knows(intent.key()) || firstInBatch.get(intent.key()) != i) {
        continue;
      }
      DecisionJudge.Judged judged = judge.judge(intent);
      batch.out[i] = judged.decision();
      batch.checks.put(i, judged.check());
      batch.fresh.add(i);
      if (judged.decision().outcome() == DecisionOutcome.APPROVED) {
        MandateCheck.Covered ok = (MandateCheck.Covered) judged.check();
        mandates.recordUsage(ok.mandate().id(), intent.key().text(), intent.amount());
        risk.recordApproved(intent.deviceId(), intent.key().text(), intent.amount().amountMinor());
        batch.toHold.add(i);
        batch.holdRequests.add(holds.request(judged.decision(), ok));
      } else {
        holds.releaseOrphan(intent.key());
      }
    }
    return batch;
  }

  /** All the batch's holds in one issuer exchange; a refused hold turns its approval into a decline. */
  private void holdBatch(List<PaymentIntent> intents, Batch batch) {
    if (batch.holdRequests.isEmpty()) {
      return;
    }
    List<AuthoriserResult> held;
    try {
      held = holds.holdAll(batch.holdRequests);
    } catch (AuthoriserException e) {
      releaseProvisional(intents, batch.toHold);
      throw new DecisionStoreException("the issuer did not complete a batch of " + batch.holdRequests.size() + " holds; retry", e);
    }
    for (int k = 0; k < batch.toHold.size(); k++) {
      int i = batch.toHold.get(k);
      AuthoriserResult result = held.get(k);
      batch.out[i] = DecisionJudge.holdOutcome(batch.out[i], (MandateCheck.Covered) batch.checks.get(i), result);
      if (!result.approved()) {
        releaseProvisional(intents, List.of(i));
      }
    }
  }

  /** One transaction for every new decision's leaf and rows, then the book. */
  private void recordBatch(List<PaymentIntent> intents, Batch batch) {
    PaymentDecision[] out = batch.out;
    List<PaymentDecision> toStore = new ArrayList<>(batch.fresh.size());
    List<Payment> paymentsToStore = new ArrayList<>(batch.fresh.size());
    for (int i : batch.fresh) {
      toStore.add(out[i]);
      paymentsToStore.add(DecisionRecorder.paymentOf(out[i], batch.checks.get(i)));
    }
    long firstIndex;
    try {
      firstIndex = toStore.isEmpty() ? -1 : recorder.storeAll(toStore, paymentsToStore);
    } catch (DecisionStoreException e) {
      for (int i : batch.fresh) {
        if (out[i].holdTransferId() != 0) {
          holds.orphaned(out[i], batch.checks.get(i));
        }
      }
      releaseProvisional(intents, batch.fresh.stream().filter(i -> out[i].outcome() == DecisionOutcome.APPROVED).toList());
      throw e;
    }
    for (int f = 0; f < batch.fresh.size(); f++) {
      int i = batch.fresh.get(f);
      PaymentDecision recorded = out[i].withAuditIndex(firstIndex + f);
      out[i] = recorded;
      holds.recorded(recorded.key());
      risk.recordDecided(recorded.intent().deviceId(), recorded.key().counter());
      book.recorded(recorded, paymentsToStore.get(f));
    }
  }

  /** Undoes the provisional limit and velocity usage of approvals that will not be recorded. */
  private void releaseProvisional(List<PaymentIntent> intents, List<Integer> indices) {
    for (int i : indices) {
      PaymentIntent intent = intents.get(i);
      mandates.releaseUsage(intent.key().text());
      risk.releaseApproved(intent.deviceId(), intent.key().text());
    }
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
  public PaymentDecision answer(IdempotencyKey key, String userId, boolean approve) {
    synchronized (book) {
      List<PaymentDecision> versions = book.versionsOrNull(key);
      if (versions == null || versions.get(0).outcome() != DecisionOutcome.ASK_USER) {
        throw new DecisionInputException("payment " + key + " does not wait for the user's confirmation");
      }
      PaymentDecision asked = versions.get(0);
      DeviceOwner.require(mandates, asked, userId);
      if (versions.size() > 1) {
        return versions.get(1);
      }
      PaymentIntent intent = asked.intent();
      if (!approve) {
        holds.releaseOrphan(key);
        return record(new PaymentDecision(key, 1, intent, DecisionOutcome.DECLINED,
            List.of(new DecisionReason("USER_DECLINED", "declined by user " + userId)), asked.mandateId(), 0, clock.now(), -1), null);
      }
      MandateCheck check = mandates.check(intent.deviceId(), intent.merchantId(), intent.amount());
      List<DecisionReason> reasons = new ArrayList<>();
      reasons.add(new DecisionReason("USER_APPROVED", "approved by user " + userId));
      PaymentDecision decision = switch (check) {
        case MandateCheck.Refused refused -> {
          holds.releaseOrphan(key);
          reasons.add(new DecisionReason(refused.reason().name(), refused.detail()));
          yield new PaymentDecision(key, 1, intent, DecisionOutcome.DECLINED, reasons, asked.mandateId(), 0, clock.now(), -1);
        }
        case MandateCheck.Covered ok -> {
          PaymentDecision approved = new PaymentDecision(key, 1, intent, DecisionOutcome.APPROVED, reasons,
              ok.mandate().id().value(), 0, clock.now(), -1);
          yield DecisionJudge.holdOutcome(approved, ok, holds.hold(approved, ok));
        }
      };
      return record(decision, check);
    }
  }

  /** Stores one decision (and its payment), then counts usage and velocity for an approval. */
  private PaymentDecision record(PaymentDecision decision, MandateCheck check) {
    Payment payment = DecisionRecorder.paymentOf(decision, check);
    long index;
    try {
      index = recorder.store(decision, payment);
    } catch (DecisionStoreException e) {
      if (decision.holdTransferId() != 0) {
        holds.orphaned(decision, check);
      }
      throw e;
    }
    holds.recorded(decision.key());
    PaymentDecision recorded = decision.withAuditIndex(index);
    if (payment != null) {
      mandates.recordUsage(((MandateCheck.Covered) check).mandate().id(), decision.key().text(), decision.amount());
      risk.recordApproved(decision.intent().deviceId(), decision.key().text(), decision.amount().amountMinor());
    }
    log.info("Payment decided [key={}, version={}, outcome={}, amountMinor={}, reasons={}, auditIndex={}]", recorded.key(),
        recorded.version(), recorded.outcome(), recorded.amount().amountMinor(), recorded.reasons().size(), index);
    book.recorded(recorded, payment);
    return recorded;
  }

  /**
   * The goods or service were delivered: posts the hold. Idempotent (a captured payment is returned as is).
   *
   * @return the payment, CAPTURED, or EXPIRED when the hold had timed out first
   * @throws DecisionInputException when no approved payment has this key, or it was voided
   * @throws DecisionStoreException when the issuer's answer was lost; retry
   */
  public Payment capture(IdempotencyKey key) {
    return closing.capture(key);
  }

  /**
   * The goods or service were not delivered: releases the hold and the mandate usage. Idempotent.
   *
   * @return the payment, VOIDED, or EXPIRED when the hold had timed out first
   * @throws DecisionInputException when no approved payment has this key, or it was captured
   * @throws DecisionStoreException when the issuer's answer was lost; retry
   */
  public Payment voidPayment(IdempotencyKey key) {
    return closing.voidPayment(key);
  }

  /** The latest decision for a key; empty when none was made. */
  public Optional<PaymentDecision> decision(IdempotencyKey key) {
    return book.decision(key);
  }

  /** Every recorded version of the decision for a key, oldest first; empty when none. */
  public List<PaymentDecision> versions(IdempotencyKey key) {
    return book.versions(key);
  }

  /**
   * The decisions still in progress, oldest first: asked of the user and not answered, or approved and
   * still held. A rule engine started after a restart resumes from them ({@code RuleEngine.resume}).
   */
  public List<PaymentDecision> openDecisions() {
    return book.openDecisions();
  }

  /** The payment approved under a key; empty when none. */
  public Optional<Payment> payment(IdempotencyKey key) {
    return book.payment(key);
  }

  public DecisionStats stats() {
    return book.stats();
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
    return proofs.proofs(key, userId);
  }

  /**
   * As {@link #proofs}, for the platform's operator (the console), who may see every decision's proof.
   *
   * @throws DecisionInputException when no decision has this key
   * @throws DecisionStoreException when the checkpoint cannot be stored
   */
  public List<InclusionProof> operatorProofs(IdempotencyKey key) {
    return proofs.operatorProofs(key);
  }
}
