package io.iotpay.protocol.file;

/**
 * The switch's answer to an uploaded offline file.
 *
 * @param status accepted, already accepted (a no-op re-upload) or rejected
 * @param recordsAccepted records routed to issuers (0 when REJECTED; an ALREADY_ACCEPTED file's
 *     figures are those of its first acceptance, so a sender that lost its receipt learns them)
 * @param recordsRefused records refused one by one with a recorded reason (duplicates included)
 * @param reason why the file was rejected or refused, empty when ACCEPTED
 */
public record IntakeReceipt(
    IntakeStatus status, long recordsAccepted, long recordsRefused, long faresAcceptedMinor, String reason) {
  public IntakeReceipt {
    if (status == null || reason == null) {
      throw new IllegalArgumentException("intake receipt: status and reason are required");
    }
    if (faresAcceptedMinor < 0) {
      throw new IllegalArgumentException("intake receipt: accepted fares " + faresAcceptedMinor + " are negative");
    }
  }
}
