package io.iotpay.scheme;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.TransitRecordSpool;
import io.iotpay.protocol.file.RecordSummary;
import io.iotpay.protocol.file.TransitFileReader;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;

/** One business day's accepted records: spooled per issuer, fares summed per (issuer, operator). */
final class DayClearing implements AutoCloseable {
  private final LocalDate businessDate;
  private final Path spoolDirectory;
  private final CurrencyUnit currency;
  private final Map<PartyId, TransitRecordSpool> spools = new TreeMap<>(TransitSwitch.PARTY_ORDER);
  /** issuer → operator → fares, minor units. */
  private final Map<PartyId, Map<PartyId, Long>> faresMinor = new TreeMap<>(TransitSwitch.PARTY_ORDER);
  private long recordsAccepted;
  private boolean settled;

  DayClearing(LocalDate businessDate, Path spoolDirectory, CurrencyUnit currency) {
    this.businessDate = businessDate;
    this.spoolDirectory = spoolDirectory;
    this.currency = currency;
  }

  /** Spools the reader's current record (validated into {@code record}) for {@code issuer}. */
  void accept(TransitFileReader reader, RecordSummary record, PartyId issuer) {
    spools.computeIfAbsent(issuer, i -> new TransitRecordSpool(
        spoolDirectory.resolve(i.value() + "-" + businessDate + ".spool"), currency)).appendCurrent(reader, record);
    faresMinor.computeIfAbsent(issuer, i -> new TreeMap<>(TransitSwitch.PARTY_ORDER))
        .merge(record.operator(), record.fareMinor(), Math::addExact);
    recordsAccepted++;
  }

  LocalDate businessDate() {
    return businessDate;
  }

  long recordsAccepted() {
    return recordsAccepted;
  }

  boolean settled() {
    return settled;
  }

  void markSettled() {
    settled = true;
  }

  /** issuer → operator → fares (minor units), in party order. */
  Map<PartyId, Map<PartyId, Long>> faresMinor() {
    return faresMinor;
  }

  /** The issuer's spool, or null when no record of its cards was accepted. */
  TransitRecordSpool spool(PartyId issuer) {
    return spools.get(issuer);
  }

  @Override
  public void close() {
    spools.values().forEach(TransitRecordSpool::close);
  }
}
