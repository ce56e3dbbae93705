package io.iotpay.protocol.file;

import java.nio.file.Path;

/**
 * Where an operator delivers its day-T offline transaction file: the switch implements it; the
 * operator's back office knows only this interface (parties meet through protocol types).
 */
public interface OfflineFileInbox {
  /**
   * Takes one offline file. Idempotent: delivering the same file again is
   * {@link IntakeStatus#ALREADY_ACCEPTED} and changes nothing.
   *
   * @param file a complete file on a local disk, never null
   * @return what was done, never null; malformed files are a {@link IntakeStatus#REJECTED} receipt, not an exception
   */
  IntakeReceipt receive(Path file);
}
