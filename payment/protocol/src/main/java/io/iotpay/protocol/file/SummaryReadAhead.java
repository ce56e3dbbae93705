package io.iotpay.protocol.file;

import io.iotpay.protocol.ProtocolException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Reads a transit file's records ahead of the caller, on other threads: a reader thread frames
 * each line, updates the checksum and the control total and collects raw lines in batches; a small
 * pool summarizes each batch's records ({@link TransitFileReader#summary()}'s checks); the caller
 * takes {@link Batch batches} of summaries with their raw lines, in file order, and does the rest
 * (the switch: de-duplication, routing, spooling). On two cores reading, checking and what the
 * caller does with the records overlap.
 *
 * <p>Errors keep their meaning: a record the summary refuses is delivered in its batch with its
 * {@link ProtocolException} (the caller refuses that record and goes on); a defect of the file
 * (a malformed or overlong line, a checksum, count or total the trailer does not verify) is thrown
 * by {@link #next()} after every record before it. At most {@value #BATCHES_AHEAD} batches of
 * {@value #BATCH_RECORDS} records are held at a time. Closing stops the threads; the stream is the
 * caller's to close afterwards. One consumer thread.
 */
public final class SummaryReadAhead implements AutoCloseable {
  static final int BATCH_RECORDS = 2048;
  static final int BATCHES_AHEAD = 8;
  private static final Object END = new Object();

  /** Threads summarizing batches (besides the reader thread and the caller). */
  static final int PARSERS = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));

  private final TransitFileReader reader;
  /** Each batch as a Future (summarized in turn by the pool), then END or the file's defect. */
  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(BATCHES_AHEAD);
  private final Thread worker;
  private final ExecutorService parsers;
  private volatile boolean closed;
  private boolean ended;
  private byte[] checksum;

  private SummaryReadAhead(InputStream in, FileKind kind, FileLimits limits) {
    this.reader = TransitFileReader.open(in, kind, limits);
    this.parsers = Executors.newFixedThreadPool(PARSERS,
        Thread.ofPlatform().daemon().name("transit-file-summaries-", 0).factory());
    this.worker = Thread.ofPlatform().daemon().name("transit-file-read-ahead").unstarted(this::readAll);
    worker.start();
  }

  /**
   * Reads the header here, then starts the worker.
   *
   * @throws ProtocolException when the header is malformed, of another kind or over the limits
   */
  public static SummaryReadAhead open(InputStream in, FileKind kind, FileLimits limits) {
    return new SummaryReadAhead(in, kind, limits);
  }

  public FileHeader header() {
    return reader.header();
  }

  /**
   * The next batch of records, in file order.
   *
   * @return null after the last batch, once the trailer verified
   * @throws ProtocolException when the file is defective (after all the batches before the defect)
   * @throws UncheckedIOException when the stream cannot be read
   */
  public Batch next() {
    if (ended) {
      return null;
    }
    Object item;
    try {
      item = queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading a transit file", e);
    }
    if (item instanceof Future<?> summarized) {
      try {
        return (Batch) summarized.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading a transit file", e);
      } catch (ExecutionException e) {
        ended = true;
        throw new IllegalStateException("summarizing transit records failed", e.getCause());
      }
    }
    ended = true;
    if (item instanceof RuntimeException failure) {
      throw failure;
    }
    return null;
  }

  /**
   * The file's SHA-256 from its verified trailer.
   *
   * @throws IllegalStateException before {@link #next()} returned null
   */
  public byte[] checksum() {
    if (checksum == null) {
      throw new IllegalStateException("the trailer has not been verified yet");
    }
    return checksum.clone();
  }

  /** Stops the reader thread and the pool (when the caller stops early) and waits for them. */
  @Override
  public void close() {
    closed = true;
    worker.interrupt();
    try {
      worker.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    parsers.shutdownNow();
    try {
      parsers.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether the reader thread or the pool still runs (tests). */
  boolean workerAlive() {
    return worker.isAlive() || !parsers.isTerminated();
  }

  private void readAll() {
    Batch batch = new Batch(reader.header().currency(), Batch.LINE_BYTES_INITIAL);
    Object last;
    try {
      while (reader.next()) {
        if (!batch.add(reader)) {
          put(batch);
          batch = new Batch(reader.header().currency(), batch.lineBytesUsed());
          batch.add(reader);
        }
      }
      checksum = reader.checksum();
      last = END;
    } catch (ProtocolException | UncheckedIOException e) {
      last = e;
    } catch (InterruptedException e) {
      return; // closed
    } catch (RuntimeException e) {
      last = new IllegalStateException("reading a transit file failed", e);
    }
    try {
      if (batch.size() > 0) {
        put(batch); // the records before a defect too, as reading in turn gives them
      }
      put(last);
    } catch (InterruptedException e) {
      // closed
    }
  }

  private void put(Object item) throws InterruptedException {
    if (closed) {
      throw new InterruptedException("closed");
    }
    if (item instanceof Batch batch) {
      queue.put(parsers.submit(batch::summarize, batch));
    } else {
      queue.put(item);
    }
  }

  /** Up to {@value #BATCH_RECORDS} records: each one's summary or refusal, line number and raw line (with '\n'). */
  public static final class Batch {
    private static final int LINE_BYTES_INITIAL = BATCH_RECORDS * 256;
    private final RecordSummary[] summaries = new RecordSummary[BATCH_RECORDS];
    private final ProtocolException[] refusals = new ProtocolException[BATCH_RECORDS];
    private final long[] lineNumbers = new long[BATCH_RECORDS];
    private final int[] offsets = new int[BATCH_RECORDS + 1];
    private final io.iotpay.foundation.money.CurrencyUnit currency;
    private byte[] lines;
    private int size;

    /**
     * @param lineBytes room for the lines at first: the previous batch's bytes (a file's lines are of
     *     a size, and a buffer grown by copies for every batch showed in profiles)
     */
    private Batch(io.iotpay.foundation.money.CurrencyUnit currency, int lineBytes) {
      this.currency = currency;
      this.lines = new byte[Math.max(LINE_BYTES_INITIAL, lineBytes + lineBytes / 16)];
    }

    /** Bytes of lines this batch holds. */
    private int lineBytesUsed() {
      return offsets[size];
    }

    /** Takes the reader's current line (framed and shape-checked); @return false when full. */
    private boolean add(TransitFileReader reader) {
      if (size == BATCH_RECORDS) {
        return false;
      }
      lineNumbers[size] = reader.lineNumber();
      int offset = offsets[size];
      int length = reader.currentLineLength();
      if (offset + length > lines.length) {
        lines = Arrays.copyOf(lines, Math.max(lines.length * 2, offset + length));
      }
      reader.copyCurrentLine(lines, offset);
      offsets[size + 1] = offset + length;
      size++;
      return true;
    }

    /** Summarizes every line as {@link TransitFileReader#summary()} would (on a pool thread). */
    private void summarize() {
      TransitRecordLine decoder = new TransitRecordLine(currency);
      FieldCursor cursor = new FieldCursor();
      byte[] line = new byte[0];
      for (int i = 0; i < size; i++) {
        int length = lineLength(i) - 1; // without '\n'
        if (line.length < length) {
          line = new byte[Math.max(length, 2 * line.length)];
        }
        System.arraycopy(lines, offsets[i], line, 0, length);
        try {
          cursor.split(line, length, lineNumbers[i], TransitRecordLine.FIELDS, "record");
          summaries[i] = decoder.summarize(cursor);
        } catch (ProtocolException e) {
          refusals[i] = e;
        }
      }
    }

    public int size() {
      return size;
    }

    /** Record i's summary, or null when it was refused ({@link #refusal}). */
    public RecordSummary summary(int i) {
      return summaries[i];
    }

    /** Why record i's summary was refused, or null. */
    public ProtocolException refusal(int i) {
      return refusals[i];
    }

    public long lineNumber(int i) {
      return lineNumbers[i];
    }

    /** The batch's raw lines; record i's is {@link #lineOffset}(i) .. + {@link #lineLength}(i), '\n' included. */
    public byte[] lines() {
      return lines;
    }

    public int lineOffset(int i) {
      return offsets[i];
    }

    public int lineLength(int i) {
      return offsets[i + 1] - offsets[i];
    }
  }
}
