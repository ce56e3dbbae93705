package io.iotpay.switching.transit;

import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.settlement.SettlementReport;
import io.iotpay.switching.SwitchConfig;
import io.iotpay.switching.SwitchStore;
import io.iotpay.switching.settlement.GrossSource;
import io.iotpay.switching.settlement.MultilateralNetting;
import io.iotpay.switching.settlement.SettlementPoster;
import io.iotpay.switching.settlement.SettlementReportWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles a transit business day on T+1 (docs/clearing-files.md §7): closes the day to intake,
 * nets it multilaterally, posts it to the switch's book, writes each issuer's clearing file and each
 * participant's settlement report, and records the day as settled. Other schemes' gross amounts of
 * day T ({@link GrossSource}, e.g. online card clearing) and the disputes accepted since the last
 * window ({@link ExceptionDesk}: chargebacks and re-presentments) join the same netting and postings.
 * Thread-safe (synchronized).
 */
final class TransitSettlement {
  private static final Logger LOG = LoggerFactory.getLogger(TransitSettlement.class);

  private final SwitchConfig config;
  private final List<PartyId> issuers;
  private final List<PartyId> receivers;
  private final OfflineFileIntake intake;
  private final SettlementPoster poster;
  private final ClearingFileWriter clearingFiles;
  private final SettlementReportWriter reports;
  private final SwitchStore store;
  private final List<GrossSource> sources;
  private final ExceptionDesk exceptions;

  /** @param receivers the operators and the sources' participants (every receiving party) */
  TransitSettlement(SwitchConfig config, List<PartyId> issuers, List<PartyId> receivers, OfflineFileIntake intake,
      SettlementPoster poster, ClearingFileWriter clearingFiles, SettlementReportWriter reports, SwitchStore store,
      List<GrossSource> sources, ExceptionDesk exceptions) {
    this.exceptions = exceptions;
    this.config = config;
    this.issuers = issuers;
    this.receivers = receivers;
    this.sources = List.copyOf(sources);
    this.intake = intake;
    this.poster = poster;
    this.clearingFiles = clearingFiles;
    this.reports = reports;
    this.store = store;
  }

  /**
   * @param seal signs the run's files; called before the day is marked settled, so a settled day's
   *     files are complete on disk whatever a crash interrupts
   * @see TransitSwitch#settle
   */
  synchronized SettlementRun settle(LocalDate businessDate, LocalDate today, Consumer<SettlementRun> seal) {
    DayClearing day = intake.closeForSettlement(businessDate, today);
    Map<PartyId, Map<PartyId, Long>> grossMinor = copy(day.faresMinor());
    // Disputes accepted since the last window: chargebacks (operator → issuer), re-presentments back.
    ExceptionDesk.Pending disputes = exceptions.pending();
    add(grossMinor, disputes.grossMinor());
    long records = day.recordsAccepted();
    for (GrossSource source : sources) {
      GrossSource.Gross gross = source.close(businessDate);
      add(grossMinor, gross.payerToReceiverMinor());
      records = Math.addExact(records, gross.records());
    }
    SettlementReport report = MultilateralNetting.net(businessDate, config.currency(), issuers, receivers,
        grossMinor, records);
    poster.post(businessDate, grossMinor);
    Map<PartyId, Path> clearing = clearingFiles.write(day);
    Map<PartyId, Path> reportFiles = reports.write(report);
    Map<PartyId, Path> notices = exceptions.writeNotices(businessDate, disputes);
    SettlementRun run = new SettlementRun(report, clearing, reportFiles, notices);
    seal.accept(run);
    store.markSettled(businessDate, clearingFiles.sequences(), disputes.through());
    sources.forEach(source -> source.settled(businessDate));
    day.close();
    LOG.info("Business day settled [day={}, records={}, participants={}]", businessDate, report.recordsSettled(),
        report.positions().size());
    return run;
  }

  private static void add(Map<PartyId, Map<PartyId, Long>> grossMinor, Map<PartyId, Map<PartyId, Long>> more) {
    more.forEach((payer, byReceiver) -> byReceiver.forEach((receiver, amount) ->
        grossMinor.computeIfAbsent(payer, p -> new TreeMap<>(SwitchConfig.PARTY_ORDER))
            .merge(receiver, amount, Math::addExact)));
  }

  /** A mutable copy in party order, so disputes and the sources' amounts can be added to the day's fares. */
  private static Map<PartyId, Map<PartyId, Long>> copy(Map<PartyId, Map<PartyId, Long>> grossMinor) {
    Map<PartyId, Map<PartyId, Long>> out = new TreeMap<>(SwitchConfig.PARTY_ORDER);
    grossMinor.forEach((payer, byReceiver) -> {
      Map<PartyId, Long> copy = new TreeMap<>(SwitchConfig.PARTY_ORDER);
      copy.putAll(byReceiver);
      out.put(payer, copy);
    });
    return out;
  }
}
