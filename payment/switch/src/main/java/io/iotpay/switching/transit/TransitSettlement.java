package io.iotpay.switching.transit;

import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.settlement.SettlementReport;
import io.iotpay.switching.SwitchConfig;
import io.iotpay.switching.SwitchStore;
import io.iotpay.switching.settlement.MultilateralNetting;
import io.iotpay.switching.settlement.SettlementPoster;
import io.iotpay.switching.settlement.SettlementReportWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles a transit business day on T+1 (docs/clearing-files.md §7): closes the day to intake,
 * nets it multilaterally, posts it to the switch's book, writes each issuer's clearing file and each
 * participant's settlement report, and records the day as settled. Thread-safe (synchronized).
 */
final class TransitSettlement {
  private static final Logger LOG = LoggerFactory.getLogger(TransitSettlement.class);

  private final SwitchConfig config;
  private final List<PartyId> issuers;
  private final List<PartyId> operators;
  private final OfflineFileIntake intake;
  private final SettlementPoster poster;
  private final ClearingFileWriter clearingFiles;
  private final SettlementReportWriter reports;
  private final SwitchStore store;

  TransitSettlement(SwitchConfig config, List<PartyId> issuers, List<PartyId> operators, OfflineFileIntake intake,
      SettlementPoster poster, ClearingFileWriter clearingFiles, SettlementReportWriter reports, SwitchStore store) {
    this.config = config;
    this.issuers = issuers;
    this.operators = operators;
    this.intake = intake;
    this.poster = poster;
    this.clearingFiles = clearingFiles;
    this.reports = reports;
    this.store = store;
  }

  /** @see TransitSwitch#settle */
  synchronized SettlementRun settle(LocalDate businessDate, LocalDate today) {
    DayClearing day = intake.closeForSettlement(businessDate, today);
    SettlementReport report = MultilateralNetting.net(businessDate, config.currency(), issuers, operators,
        day.faresMinor(), day.recordsAccepted());
    poster.post(businessDate, day.faresMinor());
    Map<PartyId, Path> clearing = clearingFiles.write(day);
    Map<PartyId, Path> reportFiles = reports.write(report);
    store.markSettled(businessDate, clearingFiles.sequences());
    day.close();
    LOG.info("Business day settled [day={}, records={}, participants={}]", businessDate, report.recordsSettled(),
        report.positions().size());
    return new SettlementRun(report, clearing, reportFiles);
  }
}
