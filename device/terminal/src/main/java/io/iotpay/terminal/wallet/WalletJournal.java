package io.iotpay.terminal.wallet;

import io.iotpay.foundation.codec.Hex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * The POS's append-only purchase journal: one line per {@link PurchaseRecord}, forced to disk
 * ({@code FileChannel.force(true)}) before the outcome is shown. Line (docs/wallet-apdus.md §5):
 * {@code WP2;posId;psamSequence;cardId;counter;offlineMinor;onlineMinor;balanceAfterMinor;currency;
 * posChallenge;tac;cardSignature;psamSignature;recovered;crc32} + LF, CRC-32 (hex) over everything
 * before its separator. On open a torn last line (no LF, or a bad CRC) is cut; any other bad line
 * refuses to open. Not thread-safe; one per POS.
 */
public final class WalletJournal implements AutoCloseable {
  /** Bound on one line: two 72-byte signatures in hex and the fixed fields stay below 600 chars. */
  public static final int LINE_CHARS_MAX = 1_024;
  /** Bound on a journal read at start-up. */
  public static final long FILE_BYTES_MAX = 256L << 20;
  static final String MAGIC = "WP2";
  private static final int FIELDS = 15;

  private final Path file;
  private final FileChannel channel;
  private final List<PurchaseRecord> records;
  private final Set<String> challenges = new HashSet<>();

  private WalletJournal(Path file, FileChannel channel, List<PurchaseRecord> records) {
    this.file = file;
    this.channel = channel;
    this.records = records;
    records.forEach(r -> challenges.add(Hex.encode(r.debit().posChallenge())));
  }

  /**
   * Opens (creating if absent) and reads the journal, cutting a torn last line.
   *
   * @throws WalletException (device POS) when a line other than the last is malformed or the file is too large
   * @throws UncheckedIOException when the file cannot be read or written
   */
  public static WalletJournal open(Path file) {
    try {
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      if (channel.size() > FILE_BYTES_MAX) {
        channel.close();
        throw new WalletException(WalletException.Device.POS, "journal " + file + " exceeds " + FILE_BYTES_MAX);
      }
      byte[] bytes = Files.readAllBytes(file);
      List<PurchaseRecord> records = new ArrayList<>();
      int goodEnd = readLines(file, bytes, records);
      if (goodEnd < bytes.length) {
        channel.truncate(goodEnd);
        channel.force(true);
      }
      channel.position(goodEnd);
      return new WalletJournal(file, channel, records);
    } catch (IOException e) {
      throw new UncheckedIOException("journal " + file + " cannot be opened", e);
    }
  }

  private static int readLines(Path file, byte[] bytes, List<PurchaseRecord> out) {
    int start = 0;
    int lineNumber = 1;
    while (start < bytes.length) {
      int end = start;
      while (end < bytes.length && bytes[end] != '\n') {
        end++;
      }
      if (end == bytes.length) {
        return start; // no LF: the append was torn
      }
      boolean last = end == bytes.length - 1;
      try {
        out.add(decode(new String(bytes, start, end - start, StandardCharsets.UTF_8)));
      } catch (IllegalArgumentException | io.iotpay.foundation.InvalidInputException e) {
        if (last) {
          return start; // LF written but the line damaged: the torn tail
        }
        throw new WalletException(WalletException.Device.POS,
            "journal " + file + " line " + lineNumber + ": " + e.getMessage());
      }
      start = end + 1;
      lineNumber++;
    }
    return start;
  }

  /**
   * Appends a record and forces it to disk; when this returns, the record survives a crash.
   *
   * @throws UncheckedIOException when the write or the fsync fails (the POS must not show success)
   */
  public void append(PurchaseRecord record) {
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
    challenges.add(Hex.encode(record.debit().posChallenge()));
  }

  /** True when a record answering this POS challenge is in the journal. */
  public boolean holdsChallenge(byte[] posChallenge) {
    return challenges.contains(Hex.encode(posChallenge));
  }

  /** Every record, in journal order. */
  public List<PurchaseRecord> records() {
    return Collections.unmodifiableList(records);
  }

  static String encode(PurchaseRecord r) {
    CardDebit d = r.debit();
    String body = String.join(";", MAGIC, Hex.encode(d.posId()), Long.toString(r.psamSequence()), Hex.encode(d.cardId()),
        Long.toString(d.counter()), Long.toString(d.offlineMinor()), Long.toString(d.onlineMinor()),
        Long.toString(d.balanceAfterMinor()), Integer.toString(d.currencyNumeric()), Hex.encode(d.posChallenge()),
        Hex.encode(d.tac()), Hex.encode(d.cardSignature()), Hex.encode(r.psamSignature()), r.recovered() ? "1" : "0");
    return body + ";" + crc(body);
  }

  static PurchaseRecord decode(String line) {
    if (line.length() > LINE_CHARS_MAX) {
      throw new IllegalArgumentException("line of " + line.length() + " chars exceeds " + LINE_CHARS_MAX);
    }
    String[] f = line.split(";", -1);
    if (f.length != FIELDS || !MAGIC.equals(f[0])) {
      throw new IllegalArgumentException("not a " + MAGIC + " line of " + FIELDS + " fields");
    }
    String body = line.substring(0, line.lastIndexOf(';'));
    if (!crc(body).equals(f[14])) {
      throw new IllegalArgumentException("CRC mismatch");
    }
    CardDebit debit = new CardDebit(fixed(f[3], 8), amount(f[4]), amount(f[5]), amount(f[6]), amount(f[7]),
        (int) bounded(f[8], 999), fixed(f[1], 8), fixed(f[9], 16), fixed(f[10], CardDebit.TAC_LENGTH),
        Hex.decode(f[11]));
    if (!"0".equals(f[13]) && !"1".equals(f[13])) {
      throw new IllegalArgumentException("recovered flag " + f[13]);
    }
    return new PurchaseRecord(debit, amount(f[2]), Hex.decode(f[12]), "1".equals(f[13]));
  }

  private static byte[] fixed(String hex, int length) {
    byte[] bytes = Hex.decode(hex);
    if (bytes.length != length) {
      throw new IllegalArgumentException("expected " + length + " bytes, got " + bytes.length);
    }
    return bytes;
  }

  private static long amount(String text) {
    return bounded(text, Integer.MAX_VALUE);
  }

  private static long bounded(String text, long max) {
    if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("not a number: " + text);
    }
    long value = Long.parseLong(text);
    if (value > max) {
      throw new IllegalArgumentException(value + " above " + max);
    }
    return value;
  }

  private static String crc(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.UTF_8));
    return Long.toHexString(crc.getValue());
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
}
