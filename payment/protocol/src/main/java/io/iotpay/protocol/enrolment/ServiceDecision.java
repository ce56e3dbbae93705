package io.iotpay.protocol.enrolment;

import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.script.CardScript;
import java.util.Optional;

/**
 * The issuer's answer to a {@link ServiceApplication}. An approval carries the first card script
 * the wallet must relay to its secure element (the issuer sets the quota on the card through it);
 * a decline carries the reason and no script.
 *
 * @param applicationId the application's id
 * @param approved true when the service is granted
 * @param reason why, for the rider (never a key, PIN or full PAN), 1..200 characters
 * @param script the first script to relay: present exactly when approved
 */
public record ServiceDecision(String applicationId, boolean approved, String reason, Optional<CardScript> script) {
  /** @throws ProtocolException when a field is missing or the script's presence disagrees with the decision */
  public ServiceDecision {
    if (applicationId == null || reason == null || reason.isBlank() || reason.length() > 200 || script == null) {
      throw new ProtocolException("service decision: id, reason (1..200 characters) and script option are required");
    }
    if (approved != script.isPresent()) {
      throw new ProtocolException("service decision " + applicationId + ": an approval must carry a script, a decline none");
    }
  }
}
