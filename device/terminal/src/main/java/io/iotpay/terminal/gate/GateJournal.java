package io.iotpay.terminal.gate;

import io.iotpay.foundation.codec.CodecException;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.InvalidInputException;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.transit.RecordId;
import io.iotpay.protocol.transit.TransitKind;
import io.iotpay.protocol.transit.TransitRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * A gate's append-only journal: one line per {@link TransitRecord}, written and forced to disk
 * ({@code FileChannel.force(true)}, i.e. fsync) before the gate opens. Line format (docs/gate.md §5):
 * {@code TR1;terminal;sequence;operator;station;kind;PAN;PSN;suite;ATC;fareMinor;currency;quotaAfterMinor;
 * time;businessDate;cryptogramInputHex;tacHex;recovered;crc32} + LF, CRC-32 (hex) over everything
 * before its separator. On open, a last line without LF or with a bad CRC is a torn append: it is
 * cut off (the gate never opened for it). Any other bad line is corruption and refuses to open.
 * Holds full PANs: the file is as sensitive as a clearing file. Not thread-safe; one per gate.
 */
public final class GateJournal implements AutoCloseable {
  /** Bound on one line: a record with the largest cryptogram input is about 700 characters. */
  public static final int LINE_CHARS_MAX = 2_048;
  /** Bound on a journal read at start-up (a gate rolls its journal daily; a day is far below this). */
  public static final long FILE_BYTES_MAX = 512L << 20;
  static final String MAGIC = "TR1";
  private static final int FIELDS = 19;

  private final Path file;
  private final FileChannel channel;
  private final List<TransitRecord> records;
  private final Set<TransitRecord.CardTransactionKey> keys = new HashSet<>();
  private final int tornBytesCut;

  private GateJournal(Path file, FileChannel channel, List<TransitRecord> records, int tornBytesCut) {
    this.file = file;
    this.channel = channel;
    this.records = records;
    this.tornBytesCut = tornBytesCut;
    for (TransitRecord r : records) {
      keys.add(r.cardKey());
    }
  }

  /**
   * Opens (creating if absent) and reads the journal, cutting a torn last line.
   *
   * @throws GateException when a line other than the last is malformed, or the file is too large
   * @throws UncheckedIOException when the file cannot be read or written
   */
  public static GateJournal open(Path file) {
    try {
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      long size = channel.size();
      if (size > FILE_BYTES_MAX) {
        channel.close();
        throw new GateException("journal " + file + ": " + size + " bytes exceed " + FILE_BYTES_MAX);
      }
      byte[] bytes = Files.readAllBytes(file);
      List<TransitRecord> records = new ArrayList<>();
      int goodEnd = readLines(file, bytes, records);
      if (goodEnd < bytes.length) {
        channel.truncate(goodEnd);
        channel.force(true);
      }
      channel.position(goodEnd);
      return new GateJournal(file, channel, records, bytes.length - goodEnd);
    } catch (IOException e) {
      throw new UncheckedIOException("journal " + file + " cannot be opened", e);
    }
  }

  /**
   * Reads a journal without opening it for writing and without cutting anything: what the operator's
   * back office uses to collect a gate's journal, even while the gate appends to it. A torn last
   * line is skipped.
   *
   * @throws GateException when a line other than the last is malformed, or the file is too large
   * @throws UncheckedIOException when the file cannot be read
   */
  public static List<TransitRecord> readRecords(Path file) {
    try {
      if (Files.size(file) > FILE_BYTES_MAX) {
        throw new GateException("journal " + file + ": larger than " + FILE_BYTES_MAX + " bytes");
      }
      List<TransitRecord> records = new ArrayList<>();
      readLines(file, Files.readAllBytes(file), records);
      return records;
    } catch (IOException e) {
      throw new UncheckedIOException("journal " + file + " cannot be read", e);
    }
  }

  /** Parses complete lines; returns the offset after the last good one. */
  private static int readLines(Path file, byte[] bytes, List<TransitRecord> out) {
    int start = 0;
    int lineNumber = 1;
    while (start < bytes.length) {
      int end = indexOf(bytes, (byte) '\n', start);
      boolean last = end < 0 || end == bytes.length - 1;
      if (end < 0) {
        return start; // no LF: the append was torn
      }
      String line = new String(bytes, start, end - start, StandardCharsets.UTF_8);
      try {
        out.add(decode(line));
      } catch (InvalidInputException e) {
        if (last) {
          return start; // LF written but the line damaged: still the torn tail
        }
        throw new GateException("journal " + file + " line " + lineNumber + ": " + e.getMessage(), e);
      }
      start = end + 1;
      lineNumber++;
    }
    return start;
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Appends a record and forces it to disk; when this returns, the record survives a crash.
   *
   * @throws UncheckedIOException when the write or the fsync fails (the gate must then stay shut)
   */
  public void append(TransitRecord record) {
    byte[] line = (encode(record) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      ByteBuffer buffer = ByteBuffer.wrap(line);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("journal " + file + ": append failed", e);
    }
    records.add(record);
    keys.add(record.cardKey());
  }

  /** True when this journal holds the card transaction (PAN, PSN, ATC). */
  public boolean holds(TransitRecord.CardTransactionKey key) {
    return keys.contains(key);
  }

  /** Every record, in journal order. */
  public List<TransitRecord> records() {
    return Collections.unmodifiableList(records);
  }

  /** The next journal sequence number (records + 1). */
  public long nextSequence() {
    return records.size() + 1L;
  }

  /** Bytes of a torn last line cut off when the journal was opened (0 when none). */
  public int tornBytesCut() {
    return tornBytesCut;
  }

  public Path file() {
    return file;
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("journal " + file + ": close failed", e);
    }
  }

  /** One journal line without its LF. */
  static String encode(TransitRecord r) {
    String body = String.join(";", MAGIC, r.id().terminalId(), Long.toString(r.id().sequence()),
        r.operator().value(), r.stationId(), r.kind().name(), r.pan().digits(), Integer.toString(r.panSequence()),
        r.suite().name(), Integer.toString(r.atc()), Long.toString(r.fare().amountMinor()),
        r.fare().currency().alphaCode(), Long.toString(r.quotaAfterMinor()), r.time().toString(),
        r.businessDate().toString(), Hex.encode(r.cryptogramInput()), Hex.encode(r.tac()),
        r.recovered() ? "1" : "0");
    return body + ";" + crc(body);
  }

  /**
   * Parses one journal line.
   *
   * @throws GateException (or another {@link InvalidInputException}) naming the bad field
   */
  static TransitRecord decode(String line) {
    if (line.length() > LINE_CHARS_MAX) {
      throw new GateException("line longer than " + LINE_CHARS_MAX + " characters");
    }
    int cut = line.lastIndexOf(';');
    if (cut < 0 || !line.substring(cut + 1).equals(crc(line.substring(0, cut)))) {
      throw new GateException("CRC-32 does not match");
    }
    String[] f = line.split(";", -1);
    if (f.length != FIELDS || !MAGIC.equals(f[0])) {
      throw new GateException("expected " + FIELDS + " fields starting with " + MAGIC + ", got " + f.length);
    }
    try {
      CurrencyUnit currency = CurrencyUnit.of(f[11]);
      return new TransitRecord(new RecordId(f[1], Long.parseLong(f[2])), PartyId.of(f[3]), f[4],
          TransitKind.valueOf(f[5]), Pan.of(f[6]), Integer.parseInt(f[7]), AlgorithmSuite.valueOf(f[8]),
          Integer.parseInt(f[9]), Money.ofMinor(Long.parseLong(f[10]), currency), Long.parseLong(f[12]),
          Instant.parse(f[13]), LocalDate.parse(f[14]), Hex.decode(f[15]), Hex.decode(f[16]), "1".equals(f[17]));
    } catch (IllegalArgumentException | DateTimeParseException | CodecException e) {
      throw new GateException("bad field: " + e.getMessage(), e);
    }
  }

  private static String crc(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.UTF_8));
    return String.format("%08x", crc.getValue());
  }
}
