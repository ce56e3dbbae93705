package io.iotpay.platform.decision;

import io.iotpay.platform.mandate.Mandate;
import io.iotpay.platform.mandate.MandateId;
import io.iotpay.platform.mandate.MandateRegistry;
import java.util.Optional;

/** Who may answer for a decision or see its proofs: the user whose mandate it was decided under. */
final class DeviceOwner {
  private DeviceOwner() {}

  /** @throws DecisionInputException when {@code userId} does not own the decision's device */
  static void require(MandateRegistry mandates, PaymentDecision decision, String userId) {
    Optional<Mandate> mandate = decision.mandateId() != null
        ? mandates.find(new MandateId(decision.mandateId()))
        : mandates.liveMandateOf(decision.intent().deviceId());
    if (mandate.isEmpty() || !mandate.get().userId().equals(userId)) {
      throw new DecisionInputException("user " + userId + " does not own device " + decision.intent().deviceId());
    }
  }
}
