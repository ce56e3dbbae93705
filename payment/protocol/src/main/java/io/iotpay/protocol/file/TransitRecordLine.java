package io.iotpay.protocol.file;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.transit.RecordId;
import io.iotpay.protocol.transit.TransitKind;
import io.iotpay.protocol.transit.TransitRecord;
import java.util.HashMap;
import java.util.Map;

/** Decodes one transit record line (docs/clearing-files.md §3); caches the few repeating values. */
final class TransitRecordLine {
  static final String TAG = "R";
  static final int FIELDS = 17;
  static final int FARE_FIELD = 10;
  /** Bounds the caches so a hostile file cannot grow them: beyond it values are simply not cached. */
  private static final int CACHE_ENTRIES_MAX = 4096;

  private final CurrencyUnit currency;
  private final Map<String, PartyId> parties = new HashMap<>();
  private final Map<String, String> texts = new HashMap<>();

  TransitRecordLine(CurrencyUnit currency) {
    this.currency = currency;
  }

  /** Builds the record's line (without '\n'); {@code dateText} is its business date formatted. */
  static void encode(LineBuilder line, TransitRecord record, String dateText) {
    line.text(TAG).separator().text(record.id().terminalId()).separator()
        .number(record.id().sequence()).separator().text(record.operator().value()).separator()
        .text(record.stationId()).separator().text(record.kind().name()).separator()
        .text(record.pan().digits()).separator().number(record.panSequence()).separator()
        .text(record.suite().name()).separator().number(record.atc()).separator()
        .number(record.fare().amountMinor()).separator().number(record.quotaAfterMinor()).separator()
        .number(record.time().getEpochSecond()).text(".").padded(record.time().getNano(), 9).separator()
        .text(dateText).separator().hex(record.cryptogramInput()).separator()
        .hex(record.tac()).separator().text(record.recovered() ? "1" : "0");
  }

  TransitRecord decode(FieldCursor f) {
    String terminal = cached(f.text(1, "terminal id", 16));
    long sequence = f.number(2, "journal sequence", 1, Long.MAX_VALUE);
    PartyId operator = party(f.text(3, "operator", 16));
    String station = cached(f.text(4, "station id", 8));
    TransitKind kind = kind(f);
    Pan pan = pan(f);
    int panSequence = (int) f.number(7, "PAN sequence", 0, 99);
    AlgorithmSuite suite = suite(f);
    int atc = (int) f.number(9, "ATC", 0, 0xFFFF);
    long fareMinor = f.number(FARE_FIELD, "fare", 0, Long.MAX_VALUE);
    long quotaAfterMinor = f.number(11, "quota after", 0, Long.MAX_VALUE);
    var time = f.instant(12, "time");
    var businessDate = f.date(13, "business date");
    byte[] cryptogramInput = f.hex(14, "cryptogram input", TransitRecord.CRYPTOGRAM_INPUT_BYTES_MAX);
    byte[] tac = f.hex(15, "TAC", TransitRecord.TAC_BYTES);
    boolean recovered = recovered(f);
    try {
      return new TransitRecord(new RecordId(terminal, sequence), operator, station, kind, pan, panSequence, suite,
          atc, Money.ofMinor(fareMinor, currency), quotaAfterMinor, time, businessDate, cryptogramInput, tac,
          recovered);
    } catch (ProtocolException e) {
      throw f.fail(e.getMessage());
    }
  }

  /**
   * Validates every field exactly as {@link #decode} and {@code TransitRecord}'s constructor do, but
   * builds only the summary. {@code FileFormatProperties} checks that both refuse the same lines.
   */
  RecordSummary summarize(FieldCursor f) {
    String terminal = cached(f.text(1, "terminal id", 16));
    long sequence = f.number(2, "journal sequence", 1, Long.MAX_VALUE);
    PartyId operator = party(f.text(3, "operator", 16));
    checkStation(f);
    TransitKind kind = kind(f);
    Pan pan = pan(f);
    int panSequence = (int) f.number(7, "PAN sequence", 0, 99);
    suite(f);
    int atc = (int) f.number(9, "ATC", 0, 0xFFFF);
    long fareMinor = f.number(FARE_FIELD, "fare", 0, Long.MAX_VALUE);
    if (kind == TransitKind.ENTRY && fareMinor != 0) {
      throw f.fail("transit record: an entry carries no fare, got " + fareMinor);
    }
    f.number(11, "quota after", 0, Long.MAX_VALUE);
    f.instant(12, "time");
    var businessDate = f.date(13, "business date");
    f.checkHex(14, "cryptogram input", 1, TransitRecord.CRYPTOGRAM_INPUT_BYTES_MAX);
    f.checkHex(15, "TAC", TransitRecord.TAC_BYTES, TransitRecord.TAC_BYTES);
    recovered(f);
    RecordId id;
    try {
      id = new RecordId(terminal, sequence);
    } catch (ProtocolException e) {
      throw f.fail(e.getMessage());
    }
    return new RecordSummary(id, operator, businessDate, pan, panSequence, atc, fareMinor);
  }

  /** TransitRecord's rule for station ids (1..8 of A-Z, 0-9). */
  private static void checkStation(FieldCursor f) {
    String station = f.text(4, "station id", 8);
    if (!io.iotpay.protocol.IdentifierText.isUpperAlphanumeric(station, 8, false)) {
      throw f.fail("transit record: station id '" + station + "' is not 1..8 of A-Z, 0-9");
    }
  }

  private static TransitKind kind(FieldCursor f) {
    for (TransitKind kind : TransitKind.values()) {
      if (f.is(5, kind.name())) {
        return kind;
      }
    }
    throw f.field("kind", "is not ENTRY, EXIT or EXIT_INCOMPLETE");
  }

  private static AlgorithmSuite suite(FieldCursor f) {
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      if (f.is(8, suite.name())) {
        return suite;
      }
    }
    throw f.field("suite", "is not a known algorithm suite");
  }

  private static Pan pan(FieldCursor f) {
    String digits = f.text(6, "PAN", Pan.DIGITS_MAX);
    try {
      return new Pan(digits);
    } catch (ProtocolException e) {
      throw f.field("PAN", e.getMessage());
    }
  }

  private static boolean recovered(FieldCursor f) {
    if (f.is(16, "1")) {
      return true;
    }
    if (f.is(16, "0")) {
      return false;
    }
    throw f.field("recovered", "is not 0 or 1");
  }

  private PartyId party(String text) {
    PartyId known = parties.get(text);
    if (known != null) {
      return known;
    }
    PartyId party;
    try {
      party = PartyId.of(text);
    } catch (ProtocolException e) {
      throw new ProtocolException("field 'operator': " + e.getMessage());
    }
    if (parties.size() < CACHE_ENTRIES_MAX) {
      parties.put(text, party);
    }
    return party;
  }

  /** Shares repeating strings (terminal and station ids) so a day's records do not each hold a copy. */
  private String cached(String text) {
    String known = texts.get(text);
    if (known != null) {
      return known;
    }
    if (texts.size() < CACHE_ENTRIES_MAX) {
      texts.put(text, text);
    }
    return text;
  }
}
