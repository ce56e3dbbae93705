package io.iotpay.switching.online;

import io.iotpay.foundation.Assert;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The message log's writer: callers queue entries (a bounded queue; a full queue makes the caller
 * wait, so nothing is dropped), and one virtual thread writes them in batches of up to
 * {@code batchMax} rows per transaction. The write cost per pair is one row of a batched insert
 * into an append-only table.
 */
final class MessageLog implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(MessageLog.class.getName());
  private static final long RETRY_MS = 200;
  private final OnlineStore store;
  private final BlockingQueue<LogEntry> queue;
  private final int batchMax;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong queued = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition progress = lock.newCondition();
  private final Thread writer;
  private volatile boolean closed;

  MessageLog(OnlineStore store, int queueMax, int batchMax) {
    Assert.that(queueMax >= 1 && batchMax >= 1 && batchMax <= queueMax, "log queueMax {} / batchMax {}", queueMax, batchMax);
    this.store = store;
    this.queue = new ArrayBlockingQueue<>(queueMax);
    this.batchMax = batchMax;
    this.writer = Thread.ofVirtual().name("online-log-writer").start(this::writeLoop);
  }

  void add(LogEntry entry) {
    queued.incrementAndGet();
    try {
      queue.put(entry);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while queueing a log entry", e);
    }
  }

  long written() {
    return written.get();
  }

  /** Waits until every entry queued before the call is written (at most {@code timeoutMs}). */
  boolean flush(long timeoutMs) throws InterruptedException {
    long target = queued.get();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    lock.lock();
    try {
      while (written.get() < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        progress.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void writeLoop() {
    List<LogEntry> batch = new ArrayList<>(batchMax);
    while (!closed || !queue.isEmpty()) {
      try {
        LogEntry first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, batchMax - 1);
        writeBatch(batch);
      } catch (InterruptedException e) {
        closed = true;
      }
    }
  }

  private void writeBatch(List<LogEntry> batch) {
    // A failed write is retried, never dropped: the log must hold every pair.
    while (true) {
      try {
        store.insertLog(batch);
        break;
      } catch (OnlineStoreException e) {
        LOG.log(Level.ERROR, "Message log batch not written, retrying [rows={0}, reason={1}]", batch.size(), e.getMessage());
        if (closed) {
          return;
        }
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RETRY_MS));
      }
    }
    written.addAndGet(batch.size());
    batch.clear();
    lock.lock();
    try {
      progress.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      writer.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
