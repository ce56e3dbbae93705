package io.iotpay.switching.online;

import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Iso8583Exception;
import io.iotpay.protocol.iso8583.Iso8583Message;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.Outcome;
import io.iotpay.protocol.iso8583.ResponseCode;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The store-and-forward queue of one issuer: advices (0120, 0420) are written to the database
 * sealed, before the acquirer gets its answer, and one virtual thread delivers them oldest first,
 * one at a time. An advice is marked delivered only when its acknowledgement (0130/0430) comes;
 * otherwise it stays at the head and is tried again after {@code retryMs} (the attempt reconnects
 * and signs on, so delivery resumes as soon as the issuer is back). Nothing is ever removed.
 */
final class AdviceQueue implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(AdviceQueue.class.getName());
  /** Answers that acknowledge an advice: taken (00) or already had (94, the issuer's dedup). Others are retried. */
  static final java.util.Set<ResponseCode> ACKNOWLEDGING =
      java.util.EnumSet.of(ResponseCode.APPROVED, ResponseCode.DUPLICATE_TRANSMISSION);
  private final PartyId issuer;
  private final Iso8583Client client;
  private final OnlineStore store;
  private final StoreKeys keys;
  private final Iso8583Wire wire;
  private final long retryMs;
  private final AdviceListener listener;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition queued = lock.newCondition();
  private volatile boolean closed;
  private boolean signalled;
  private Thread deliverer;

  /** Told of each acknowledged advice (for the message log). */
  @FunctionalInterface
  interface AdviceListener {
    void acknowledged(Iso8583Message advice, CardResponse acknowledgement, long issuerMs);
  }

  AdviceQueue(PartyId issuer, Iso8583Client client, OnlineStore store, StoreKeys keys, Iso8583Wire wire, long retryMs,
      AdviceListener listener) {
    this.issuer = issuer;
    this.client = client;
    this.store = store;
    this.keys = keys;
    this.wire = wire;
    this.retryMs = retryMs;
    this.listener = listener;
  }

  void start() {
    deliverer = Thread.ofVirtual().name("online-saf-" + issuer.value()).start(this::deliverLoop);
  }

  /** Stores {@code advice} durably (returns once committed) and wakes the deliverer. */
  void enqueue(Iso8583Message advice) {
    store.enqueueAdvice(issuer, advice.mti(), advice.stan(), advice.terminalId(), keys.seal(wire.write(advice)),
        System.currentTimeMillis());
    lock.lock();
    try {
      signalled = true;
      queued.signalAll();
    } finally {
      lock.unlock();
    }
  }

  long pending() {
    return store.pendingAdvices(issuer);
  }

  private void deliverLoop() {
    while (!closed) {
      boolean delivered = false;
      try {
        delivered = deliverOldest();
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, "Advice delivery failed, will retry [issuer={0}, reason={1}]", issuer, e.getMessage());
      }
      if (!delivered) {
        waitForWork();
      }
    }
  }

  /** True when the head advice was acknowledged (so the next one may go at once). */
  private boolean deliverOldest() {
    Optional<OnlineStore.QueuedAdvice> head = store.oldestAdvice(issuer);
    if (head.isEmpty()) {
      return false;
    }
    OnlineStore.QueuedAdvice row = head.get();
    Optional<byte[]> plain = keys.open(row.sealed());
    if (plain.isEmpty()) {
      LOG.log(Level.ERROR, "Queued advice does not open under the store key, kept [issuer={0}, seq={1}]", issuer, row.seq());
      return false;
    }
    Iso8583Message advice;
    try {
      advice = wire.read(plain.get()).message();
    } catch (Iso8583Exception e) {
      LOG.log(Level.ERROR, "Queued advice does not parse, kept [issuer={0}, seq={1}]", issuer, row.seq());
      return false;
    }
    long startNs = System.nanoTime();
    Outcome outcome = client.send(advice);
    long issuerMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
    boolean acknowledged = outcome instanceof Outcome.Answered answered
        && answered.response() instanceof CardResponse response
        && response.mti() == advice.mti().responseType()
        && ACKNOWLEDGING.contains(response.responseCode());
    if (acknowledged) {
      // Logged before the row is marked delivered, so whoever sees pending() == 0 and then flushes the
      // message log finds this advice in it (the log is not used for clearing; a crash between the two
      // steps logs the redelivery a second time, answered 94 by the issuer).
      listener.acknowledged(advice, (CardResponse) ((Outcome.Answered) outcome).response(), issuerMs);
    }
    store.adviceAttempted(row.seq(), acknowledged, System.currentTimeMillis());
    if (acknowledged) {
      LOG.log(Level.INFO, "Advice acknowledged [issuer={0}, seq={1}, mti={2}, attempts={3}]", issuer, row.seq(),
          advice.mti().code(), row.attempts() + 1);
    } else {
      LOG.log(Level.INFO, "Advice not acknowledged, kept [issuer={0}, seq={1}, outcome={2}]", issuer, row.seq(),
          outcome.getClass().getSimpleName());
    }
    return acknowledged;
  }

  private void waitForWork() {
    lock.lock();
    try {
      if (!signalled && !closed) {
        queued.await(retryMs, TimeUnit.MILLISECONDS);
      }
      signalled = false;
    } catch (InterruptedException e) {
      closed = true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    closed = true;
    if (deliverer != null) {
      deliverer.interrupt();
      try {
        deliverer.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
