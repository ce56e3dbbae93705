package io.iotpay.terminal.gate;

import io.iotpay.protocol.journal.JournalException;
import io.iotpay.protocol.journal.JournalFile;
import io.iotpay.protocol.journal.JournalLine;
import io.iotpay.protocol.transit.TransitRecord;
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

/**
 * A gate's append-only journal: one line per {@link TransitRecord} in the protocol's journal format
 * ({@link JournalLine}, docs/gate.md §6; the acquirer reads it with {@link JournalFile}), written
 * and forced to disk ({@code FileChannel.force(true)}, i.e. fsync) before the gate opens. On open,
 * a last line without LF or with a bad CRC is a torn append: it is cut off (the gate never opened
 * for it). Any other bad line is corruption and refuses to open.
 * Holds full PANs: the file is as sensitive as a clearing file. Not thread-safe; one per gate.
 */
public final class GateJournal implements AutoCloseable {
  /** Bound on a journal read at start-up (a gate rolls its journal daily; a day is far below this). */
  public static final long FILE_BYTES_MAX = JournalFile.FILE_BYTES_MAX;

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
      JournalFile.Scan scan;
      try {
        scan = JournalFile.scan(file.toString(), bytes);
      } catch (JournalException e) {
        channel.close();
        throw new GateException(e.getMessage(), e);
      }
      List<TransitRecord> records = new ArrayList<>(scan.records());
      int goodEnd = scan.goodEnd();
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
   * Appends a record and forces it to disk; when this returns, the record survives a crash.
   *
   * @throws UncheckedIOException when the write or the fsync fails (the gate must then stay shut)
   */
  public void append(TransitRecord record) {
    byte[] line = (JournalLine.encode(record) + "\n").getBytes(StandardCharsets.UTF_8);
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
}
