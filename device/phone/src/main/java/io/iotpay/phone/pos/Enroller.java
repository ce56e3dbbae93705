package io.iotpay.phone.pos;

/**
 * Sends the enrolment CSR to the acquirer (its HTTP API, or a direct call in tests) and returns what
 * its terminal CA issued.
 */
@FunctionalInterface
public interface Enroller {
  /** @param terminalId the acquirer's 8-digit terminal id; @param certificateDer the terminal certificate */
  record Enrolled(String terminalId, byte[] certificateDer) {}

  Enrolled enrol(byte[] csrDer);
}
