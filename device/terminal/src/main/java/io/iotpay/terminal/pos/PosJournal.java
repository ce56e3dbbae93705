package io.iotpay.terminal.pos;

import io.iotpay.foundation.InvalidInputException;
import io.iotpay.terminal.pos.PosOutcome.Cvm;
import io.iotpay.terminal.pos.PosOutcome.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * The POS terminal's append-only transaction journal: text lines, each written and forced to disk
 * ({@code FileChannel.force(true)}) before the kernel goes on. An online transaction writes an
 * {@link Stage#ONLINE_REQUEST} line before the ARQC leaves the terminal and a {@link Stage#FINAL} line
 * before the outcome is shown; any other transaction writes its FINAL line only. So after a crash an
 * ONLINE_REQUEST without its FINAL is an authorisation the acquirer must reverse. Format
 * (docs/pos-kernel.md §7): {@code POS1;terminal;sequence;stage;time;amountMinor;currency;maskedPan;
 * panToken;psn;aid;atc;tvr;tsi;cvm;cid1;ac1;authorisation;arc;cid2;ac2;scriptsApplied;scriptsFailed;
 * reason;reversal;crc32} + LF. No full PAN: a masked PAN and an HMAC token. A last line without LF or
 * with a bad CRC-32 is a torn append and is cut on open; any other bad line refuses the open.
 * Not thread-safe; one per terminal.
 */
public final class PosJournal implements AutoCloseable {
  /** Bound on a line (the longest entry is about 300 characters). */
  public static final int LINE_CHARS_MAX = 1_024;
  /** Bound on the journal read at start-up (a terminal rolls it at each day-end batch). */
  public static final long FILE_BYTES_MAX = 256L << 20;
  static final String MAGIC = "POS1";
  private static final int FIELDS = 26;

  /** Which point of the transaction a line records. */
  public enum Stage {
    ONLINE_REQUEST,
    FINAL
  }

  /** What the issuer said, as far as the terminal knows. */
  public enum Authorisation {
    NOT_SENT,
    APPROVED,
    DECLINED,
    NO_ANSWER,
    /** Sent; the terminal stopped before it knew the answer (only in ONLINE_REQUEST lines). */
    PENDING
  }

  /**
   * One journal line. Unknown values: {@code -1} for numbers, {@code ""} for text.
   *
   * @param reversal true when the acquirer must reverse the authorisation (sent, and the card did not
   *     complete an approval the issuer gave, or no answer came)
   */
  public record Entry(String terminalId, long sequence, Stage stage, Instant time, long amountMinor, String currency,
      String maskedPan, String panToken, int panSequence, String aid, int atc, String tvr, String tsi, Cvm cvm,
      int cid1, String ac1, Authorisation authorisation, String arc, int cid2, String ac2, int scriptsApplied,
      int scriptsFailed, Reason reason, boolean reversal) {

    /** The line's text without its LF. */
    String encode() {
      String body = String.join(";", MAGIC, terminalId, Long.toString(sequence), stage.name(), time.toString(),
          Long.toString(amountMinor), currency, maskedPan, panToken, Integer.toString(panSequence), aid,
          Integer.toString(atc), tvr, tsi, cvm.name(), Integer.toString(cid1), ac1, authorisation.name(), arc,
          Integer.toString(cid2), ac2, Integer.toString(scriptsApplied), Integer.toString(scriptsFailed),
          reason == null ? "" : reason.name(), reversal ? "1" : "0");
      return body + ";" + crc(body);
    }

    static Entry decode(String line) {
      if (line.length() > LINE_CHARS_MAX) {
        throw new PosException("line longer than " + LINE_CHARS_MAX + " characters");
      }
      int cut = line.lastIndexOf(';');
      if (cut < 0 || !line.substring(cut + 1).equals(crc(line.substring(0, cut)))) {
        throw new PosException("CRC-32 does not match");
      }
      String[] f = line.split(";", -1);
      if (f.length != FIELDS || !MAGIC.equals(f[0])) {
        throw new PosException("expected " + FIELDS + " fields starting with " + MAGIC + ", got " + f.length);
      }
      try {
        return new Entry(f[1], Long.parseLong(f[2]), Stage.valueOf(f[3]), Instant.parse(f[4]), Long.parseLong(f[5]),
            f[6], f[7], f[8], Integer.parseInt(f[9]), f[10], Integer.parseInt(f[11]), f[12], f[13], Cvm.valueOf(f[14]),
            Integer.parseInt(f[15]), f[16], Authorisation.valueOf(f[17]), f[18], Integer.parseInt(f[19]), f[20],
            Integer.parseInt(f[21]), Integer.parseInt(f[22]), f[23].isEmpty() ? null : Reason.valueOf(f[23]),
            "1".equals(f[24]));
      } catch (IllegalArgumentException | DateTimeParseException e) {
        throw new PosException("bad field: " + e.getMessage(), e);
      }
    }
  }

  private final Path file;
  private final FileChannel channel;
  private final List<Entry> entries;
  private final int tornBytesCut;
  private long lastSequence;

  private PosJournal(Path file, FileChannel channel, List<Entry> entries, int tornBytesCut) {
    this.file = file;
    this.channel = channel;
    this.entries = entries;
    this.tornBytesCut = tornBytesCut;
    for (Entry e : entries) {
      lastSequence = Math.max(lastSequence, e.sequence());
    }
  }

  /**
   * Opens (creating if absent) and reads the journal, cutting a torn last line.
   *
   * @throws PosException when a line other than the last is malformed, or the file is too large
   * @throws UncheckedIOException when the file cannot be read or written
   */
  public static PosJournal open(Path file) {
    try {
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      long size = channel.size();
      if (size > FILE_BYTES_MAX) {
        channel.close();
        throw new PosException("journal " + file + ": " + size + " bytes exceed " + FILE_BYTES_MAX);
      }
      byte[] bytes = Files.readAllBytes(file);
      List<Entry> entries = new ArrayList<>();
      int goodEnd = readLines(file, bytes, entries);
      if (goodEnd < bytes.length) {
        channel.truncate(goodEnd);
        channel.force(true);
      }
      channel.position(goodEnd);
      return new PosJournal(file, channel, entries, bytes.length - goodEnd);
    } catch (IOException e) {
      throw new UncheckedIOException("journal " + file + " cannot be opened", e);
    }
  }

  private static int readLines(Path file, byte[] bytes, List<Entry> out) {
    int start = 0;
    int lineNumber = 1;
    while (start < bytes.length) {
      int end = indexOf(bytes, (byte) '\n', start);
      if (end < 0) {
        return start; // no LF: the append was torn
      }
      String line = new String(bytes, start, end - start, StandardCharsets.UTF_8);
      try {
        out.add(Entry.decode(line));
      } catch (InvalidInputException e) {
        if (end == bytes.length - 1) {
          return start; // the last line, damaged: still the torn tail
        }
        throw new PosException("journal " + file + " line " + lineNumber + ": " + e.getMessage(), e);
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
   * Appends an entry and forces it to disk; when this returns, the entry survives a crash.
   *
   * @throws UncheckedIOException when the write or the fsync fails, or the journal is closed
   */
  public void append(Entry entry) {
    byte[] line = (entry.encode() + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      ByteBuffer buffer = ByteBuffer.wrap(line);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("journal " + file + ": append failed", e);
    }
    entries.add(entry);
    lastSequence = Math.max(lastSequence, entry.sequence());
  }

  /** The next transaction sequence number: one above the highest in the journal. */
  public long nextSequence() {
    return lastSequence + 1;
  }

  /** Every entry in journal order. */
  public List<Entry> entries() {
    return Collections.unmodifiableList(entries);
  }

  /**
   * The authorisations the acquirer must reverse: FINAL entries marked for reversal, and ONLINE_REQUEST
   * entries whose transaction has no FINAL entry (the terminal stopped while online). By sequence.
   */
  public List<Entry> reversalsDue() {
    Map<Long, Entry> pending = new LinkedHashMap<>();
    Set<Long> finished = new HashSet<>();
    List<Entry> due = new ArrayList<>();
    for (Entry e : entries) {
      switch (e.stage()) {
        case ONLINE_REQUEST -> pending.put(e.sequence(), e);
        case FINAL -> {
          finished.add(e.sequence());
          if (e.reversal()) {
            due.add(e);
          }
        }
      }
    }
    for (Entry e : pending.values()) {
      if (!finished.contains(e.sequence())) {
        due.add(e);
      }
    }
    due.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
    return List.copyOf(due);
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

  private static String crc(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.UTF_8));
    return String.format("%08x", crc.getValue());
  }
}
