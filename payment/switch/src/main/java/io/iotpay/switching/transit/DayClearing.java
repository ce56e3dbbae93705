package io.iotpay.switching.transit;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.TransitRecordSpool;
import io.iotpay.protocol.file.RecordSummary;
import io.iotpay.protocol.file.SummaryReadAhead;
import io.iotpay.switching.SwitchConfig;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** One business day's accepted records: spooled per issuer, fares summed per (issuer, operator). */
final class DayClearing implements AutoCloseable {
  private final LocalDate businessDate;
  private final Path spoolDirectory;
  private final CurrencyUnit currency;
  private final Map<PartyId, TransitRecordSpool> spools = new TreeMap<>(SwitchConfig.PARTY_ORDER);
  /** issuer → operator → fares, minor units. */
  private final Map<PartyId, Map<PartyId, Long>> faresMinor = new TreeMap<>(SwitchConfig.PARTY_ORDER);
  private long recordsAccepted;
  private boolean settled;
  /** Each issuer's spool and fares by operator (the same objects as in the two maps): one lookup per record. */
  private final Map<PartyId, IssuerDay> issuerDays = new HashMap<>();

  private record IssuerDay(TransitRecordSpool spool, Map<PartyId, Long> faresMinor) {}

  DayClearing(LocalDate businessDate, Path spoolDirectory, CurrencyUnit currency) {
    this.businessDate = businessDate;
    this.spoolDirectory = spoolDirectory;
    this.currency = currency;
  }

  /** Spools record {@code index} of {@code batch} (validated into {@code record}) for {@code issuer}. */
  void accept(SummaryReadAhead.Batch batch, int index, RecordSummary record, PartyId issuer) {
    IssuerDay day = issuerDays.computeIfAbsent(issuer, i -> new IssuerDay(
        spools.computeIfAbsent(i, j -> new TransitRecordSpool(
            spoolDirectory.resolve(j.value() + "-" + businessDate + ".spool"), currency)),
        faresMinor.computeIfAbsent(i, j -> new TreeMap<>(SwitchConfig.PARTY_ORDER))));
    day.spool().appendLine(batch.lines(), batch.lineOffset(index), batch.lineLength(index), record);
    day.faresMinor().merge(record.operator(), record.fareMinor(), Math::addExact);
    recordsAccepted++;
  }

  /** What the day held at one moment: each spool's mark, the fares, the count. */
  record Mark(Map<PartyId, TransitRecordSpool.Mark> spools, Map<PartyId, Map<PartyId, Long>> faresMinor,
      long recordsAccepted) {}

  Mark mark() {
    Map<PartyId, TransitRecordSpool.Mark> marks = new HashMap<>();
    spools.forEach((issuer, spool) -> marks.put(issuer, spool.mark()));
    Map<PartyId, Map<PartyId, Long>> fares = new HashMap<>();
    faresMinor.forEach((issuer, byOperator) -> fares.put(issuer, Map.copyOf(byOperator)));
    return new Mark(marks, fares, recordsAccepted);
  }

  /** Takes back every record accepted since {@code mark}: spools rolled back (or dropped when new), fares and count restored. */
  void rollback(Mark mark) {
    for (var it = spools.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      TransitRecordSpool.Mark spoolMark = mark.spools().get(entry.getKey());
      if (spoolMark == null) {
        entry.getValue().close();
        it.remove();
      } else {
        entry.getValue().rollback(spoolMark);
      }
    }
    for (var it = faresMinor.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      Map<PartyId, Long> before = mark.faresMinor().get(entry.getKey());
      if (before == null) {
        it.remove();
      } else {
        entry.getValue().clear();
        entry.getValue().putAll(before);
      }
    }
    issuerDays.keySet().retainAll(spools.keySet());
    recordsAccepted = mark.recordsAccepted();
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
