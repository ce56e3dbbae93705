package io.iotpay.platform.decision;

import io.iotpay.foundation.Assert;
import io.iotpay.ledger.audit.AuditLog;
import io.iotpay.ledger.audit.Checkpoint;
import io.iotpay.ledger.audit.InclusionProof;
import io.iotpay.platform.mandate.MandateRegistry;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Proves decisions to their device's owner: inclusion proofs in the audit log against a signed checkpoint. */
final class DecisionProofs {
  private final DecisionBook book;
  private final AuditLog auditLog;
  private final MandateRegistry mandates;

  DecisionProofs(DecisionBook book, AuditLog auditLog, MandateRegistry mandates) {
    this.book = Objects.requireNonNull(book, "book");
    this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    this.mandates = Objects.requireNonNull(mandates, "mandates");
  }

  /** @see PaymentDecisionService#proofs */
  List<InclusionProof> proofs(IdempotencyKey key, String userId) {
    List<PaymentDecision> versions = book.versions(key);
    if (versions.isEmpty()) {
      throw new DecisionInputException("no decision for payment " + key);
    }
    DeviceOwner.require(mandates, versions.get(0), userId);
    return signedProofs(key, versions);
  }

  /** @see PaymentDecisionService#operatorProofs */
  List<InclusionProof> operatorProofs(IdempotencyKey key) {
    List<PaymentDecision> versions = book.versions(key);
    if (versions.isEmpty()) {
      throw new DecisionInputException("no decision for payment " + key);
    }
    return signedProofs(key, versions);
  }

  private List<InclusionProof> signedProofs(IdempotencyKey key, List<PaymentDecision> versions) {
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
}
