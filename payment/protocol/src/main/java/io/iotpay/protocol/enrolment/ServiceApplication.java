package io.iotpay.protocol.enrolment;

import io.iotpay.protocol.Pan;
import io.iotpay.protocol.ProtocolException;
import java.util.regex.Pattern;

/**
 * The rider's request, sent by the phone's wallet app to its card's issuer, to enable the metro
 * (transit quota) service on the card in the phone's secure element.
 *
 * @param applicationId the wallet's id for this request (1..64 characters), echoed in the decision
 * @param pan the card's PAN (travels only between the phone and its issuer)
 * @param panSequence the card's PAN sequence number, 0..99
 * @param service the requested service, 1..16 of A-Z, 0-9, '-' (e.g. {@code METRO})
 */
public record ServiceApplication(String applicationId, Pan pan, int panSequence, String service) {
  private static final Pattern SERVICE_CODE = Pattern.compile("[A-Z0-9-]{1,16}");
  /** @throws ProtocolException naming the first field that is missing or out of range */
  public ServiceApplication {
    if (applicationId == null || applicationId.isBlank() || applicationId.length() > 64) {
      throw new ProtocolException("service application: id must be 1..64 characters");
    }
    if (pan == null) {
      throw new ProtocolException("service application " + applicationId + ": PAN is missing");
    }
    if (panSequence < 0 || panSequence > 99) {
      throw new ProtocolException("service application " + applicationId + ": PAN sequence " + panSequence
          + " is outside 0..99");
    }
    if (service == null || !SERVICE_CODE.matcher(service).matches()) {
      throw new ProtocolException("service application " + applicationId + ": service '" + service
          + "' is not 1..16 of A-Z, 0-9, '-'");
    }
  }
}
