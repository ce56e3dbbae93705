package io.iotpay.switching.transit;

import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.settlement.SettlementReport;
import java.nio.file.Path;
import java.util.Map;

/**
 * What settling business day T produced.
 *
 * @param report the multilateral net positions (they sum to zero)
 * @param clearingFiles per issuer, its clearing file (written in the clearing file format)
 * @param reportFiles per participant, the settlement report file addressed to it
 * @param exceptionNotices per operator the chargebacks, per issuer the re-presentments, that the
 *     window netted (docs/clearing-files.md §11); a party with none has no entry
 */
public record SettlementRun(SettlementReport report, Map<PartyId, Path> clearingFiles, Map<PartyId, Path> reportFiles,
    Map<PartyId, Path> exceptionNotices) {
  public SettlementRun {
    clearingFiles = Map.copyOf(clearingFiles);
    reportFiles = Map.copyOf(reportFiles);
    exceptionNotices = Map.copyOf(exceptionNotices);
  }

  /** A run that netted no exceptions. */
  public SettlementRun(SettlementReport report, Map<PartyId, Path> clearingFiles, Map<PartyId, Path> reportFiles) {
    this(report, clearingFiles, reportFiles, Map.of());
  }
}
