package io.iotpay.protocol.journal;

import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.transit.RecordId;
import io.iotpay.protocol.transit.TransitKind;
import io.iotpay.protocol.transit.TransitRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.zip.CRC32;

/**
 * One line of a terminal journal: the one format from the gate that writes it to the acquirer that
 * collects it (docs/gate.md §6). Line (UTF-8, {@code ;}-separated, no LF):
 * {@code TR1;terminal;sequence;operator;station;kind;PAN;PSN;suite;ATC;fareMinor;currency;
 * quotaAfterMinor;time;businessDate;cryptogramInputHex;tacHex;recovered;crc32}, where crc32 is the
 * CRC-32 (8 lower-case hex digits) of everything before its separator. Stateless.
 */
public final class JournalLine {
  /** Bound on one line: a record with the largest cryptogram input is about 700 characters. */
  public static final int LINE_CHARS_MAX = 2_048;
  static final String MAGIC = "TR1";
  private static final int FIELDS = 19;

  private JournalLine() {}

  /** The record's line, without its LF. */
  public static String encode(TransitRecord r) {
    String body = String.join(";", MAGIC, r.id().terminalId(), Long.toString(r.id().sequence()),
        r.operator().value(), r.stationId(), r.kind().name(), r.pan().digits(), Integer.toString(r.panSequence()),
        r.suite().name(), Integer.toString(r.atc()), Long.toString(r.fare().amountMinor()),
        r.fare().currency().alphaCode(), Long.toString(r.quotaAfterMinor()), r.time().toString(),
        r.businessDate().toString(), Hex.encode(r.cryptogramInput()), Hex.encode(r.tac()),
        r.recovered() ? "1" : "0");
    return body + ";" + crc(body);
  }

  /**
   * Parses one line (without its LF).
   *
   * @throws JournalException naming what is wrong (length, CRC, field count or a bad field)
   */
  public static TransitRecord decode(String line) {
    if (line.length() > LINE_CHARS_MAX) {
      throw new JournalException("line longer than " + LINE_CHARS_MAX + " characters");
    }
    int cut = line.lastIndexOf(';');
    if (cut < 0 || !line.substring(cut + 1).equals(crc(line.substring(0, cut)))) {
      throw new JournalException("CRC-32 does not match");
    }
    String[] f = line.split(";", -1);
    if (f.length != FIELDS || !MAGIC.equals(f[0])) {
      throw new JournalException("expected " + FIELDS + " fields starting with " + MAGIC + ", got " + f.length);
    }
    try {
      CurrencyUnit currency = CurrencyUnit.of(f[11]);
      return new TransitRecord(new RecordId(f[1], Long.parseLong(f[2])), PartyId.of(f[3]), f[4],
          TransitKind.valueOf(f[5]), Pan.of(f[6]), Integer.parseInt(f[7]), AlgorithmSuite.valueOf(f[8]),
          Integer.parseInt(f[9]), Money.ofMinor(Long.parseLong(f[10]), currency), Long.parseLong(f[12]),
          Instant.parse(f[13]), LocalDate.parse(f[14]), Hex.decode(f[15]), Hex.decode(f[16]), "1".equals(f[17]));
    } catch (IllegalArgumentException | DateTimeParseException | InvalidInputException e) {
      throw new JournalException("bad field: " + e.getMessage(), e);
    }
  }

  private static String crc(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.UTF_8));
    return String.format("%08x", crc.getValue());
  }
}
