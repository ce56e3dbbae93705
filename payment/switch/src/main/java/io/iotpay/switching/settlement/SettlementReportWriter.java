package io.iotpay.switching.settlement;

import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.SettlementReportFile;
import io.iotpay.protocol.settlement.NetPosition;
import io.iotpay.protocol.settlement.SettlementReport;
import io.iotpay.switching.SwitchConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a settled window's report once per participant, addressed to it, in the settlement report
 * file format (docs/clearing-files.md §6). Stateless apart from where it writes.
 */
public final class SettlementReportWriter {
  private final PartyId self;
  private final Path outDirectory;

  /** @param outDirectory where report files go; must exist */
  public SettlementReportWriter(PartyId self, Path outDirectory) {
    this.self = self;
    this.outDirectory = outDirectory;
  }

  /**
   * @return per participant, its report file ({@code settlement-PARTY-DATE.txt})
   * @throws UncheckedIOException when a file cannot be written
   */
  public Map<PartyId, Path> write(SettlementReport report) {
    Map<PartyId, Path> files = new TreeMap<>(SwitchConfig.PARTY_ORDER);
    for (NetPosition position : report.positions()) {
      Path path = outDirectory.resolve("settlement-" + position.party().value() + "-" + report.businessDate() + ".txt");
      try (OutputStream out = Files.newOutputStream(path)) {
        SettlementReportFile.write(out, self, position.party(), 1, report);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write settlement report " + path, e);
      }
      files.put(position.party(), path);
    }
    return files;
  }
}
