package io.iotpay.platform.inbox;

import io.iotpay.protocol.device.RefusalReason;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.envelope.AnswerPayload;
import io.iotpay.platform.envelope.DeviceMessage;
import io.iotpay.platform.envelope.EnvelopeException;
import io.iotpay.platform.envelope.EnvelopeService;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbox for throughput: the same checks and business steps as {@link PlatformInbox}, with the
 * store work done in batches. Envelopes are opened (parsed, signature verified, decrypted) on
 * {@code openThreads} lanes (a device's messages always on the same lane, so they keep their order); one batcher thread then admits up to {@code batchMax} of them in one
 * counter transaction, runs the business step of each fresh message in arrival order, signs the
 * answers on the pool and stores them in one more transaction. So a batch of N messages costs two
 * commits instead of 2N, and answers are never sent before their counter and answer are durable.
 * Sending them (which, in the embedded broker, runs the delivery to the device's connection) is left
 * to a thread of its own, so the batcher goes on to the next batch at once.
 *
 * <p>One batcher, not a pipeline of stages: every stage's work ends in a commit to the same store,
 * whose writer is one at a time, so stages would mostly wait for each other, and each would take
 * smaller batches (measured: 8 envelopes instead of 15, and no gain in rate beyond the run-to-run
 * spread; see docs/bench-iot.md, third round).
 *
 * <p>Bounded: at most {@code queueMax} envelopes wait to be opened and as many to be admitted; beyond
 * that a delivery is refused as {@link RefusalReason#UNAVAILABLE} at once (the device retries the same
 * bytes, which is always safe).
 */
public final class InboxPipeline implements DeviceInbox, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InboxPipeline.class);

  private final PlatformInbox core;
  private final EnvelopeService envelopes;
  private final int batchMax;
  /** One single-thread lane per open thread; a device always uses the same lane, so its messages keep their order. */
  private final ExecutorService[] openLanes;
  private final ExecutorService sealPool;
  private final BlockingQueue<Pending> opened;
  private final Thread batcher;
  /** Sends the answers of each batch, in order, after they are durable. */
  private final ExecutorService replies;
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong batched = new AtomicLong();
  /** Wall-clock nanoseconds the batcher spent in each step: admit, decide, seal, store. */
  private final AtomicLongArray stepNanos = new AtomicLongArray(4);
  private volatile boolean closed;

  private record Pending(Transport transport, DeviceId channel, String session, byte[] envelope,
      EnvelopeService.Opened opened, CompletableFuture<Reply> reply) {}

  /**
   * @param openThreads threads that open envelopes, 1..64 (the number of cores is a good choice)
   * @param batchMax most envelopes admitted in one transaction, 1..10,000
   * @param queueMax most envelopes waiting at each stage, 1..1,000,000
   */
  public InboxPipeline(PlatformInbox core, EnvelopeService envelopes, int openThreads, int batchMax, int queueMax) {
    if (openThreads < 1 || openThreads > 64 || batchMax < 1 || batchMax > 10_000 || queueMax < 1 || queueMax > 1_000_000) {
      throw new IllegalArgumentException("inbox pipeline: openThreads " + openThreads + ", batchMax " + batchMax
          + ", queueMax " + queueMax + " outside 1..64, 1..10000, 1..1000000");
    }
    this.core = Objects.requireNonNull(core, "core");
    this.envelopes = Objects.requireNonNull(envelopes, "envelopes");
    this.batchMax = batchMax;
    this.openLanes = new ExecutorService[openThreads];
    for (int lane = 0; lane < openThreads; lane++) {
      openLanes[lane] = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(Math.max(1, queueMax / openThreads)),
          Thread.ofPlatform().name("inbox-open-" + lane).daemon().factory(), new ThreadPoolExecutor.AbortPolicy());
    }
    this.sealPool = Executors.newFixedThreadPool(openThreads, Thread.ofPlatform().name("inbox-seal-", 0).daemon().factory());
    this.opened = new ArrayBlockingQueue<>(queueMax);
    this.replies = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("inbox-reply").daemon().factory());
    this.batcher = Thread.ofPlatform().name("inbox-batcher").daemon().start(this::run);
  }

  @Override
  public Reply deliver(Transport transport, DeviceId channelDevice, byte[] envelope) {
    return deliverAsync(transport, channelDevice, null, envelope).join();
  }

  @Override
  public Reply deliver(Transport transport, DeviceId channelDevice, String sessionId, byte[] envelope) {
    return deliverAsync(transport, channelDevice, sessionId, envelope).join();
  }

  @Override
  public CompletableFuture<Reply> deliverAsync(Transport transport, DeviceId channelDevice, String sessionId, byte[] envelope) {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(channelDevice, "channelDevice");
    CompletableFuture<Reply> reply = new CompletableFuture<>();
    String session = PlatformInbox.session(transport, sessionId);
    if (closed) {
      reply.complete(core.refuse(transport, channelDevice, RefusalReason.UNAVAILABLE, "the platform is shutting down; retry"));
      return reply;
    }
    try {
      openLanes[Math.floorMod(channelDevice.hashCode(), openLanes.length)]
          .execute(() -> open(new Pending(transport, channelDevice, session, envelope, null, reply)));
    } catch (RejectedExecutionException e) {
      reply.complete(core.refuse(transport, channelDevice, RefusalReason.UNAVAILABLE, "the platform is saturated; retry"));
    }
    return reply;
  }

  @Override
  public void connectivity(Transport transport, DeviceId device, ConnectivityEvent event, String sessionId) {
    core.connectivity(transport, device, event, sessionId);
  }

  @Override
  public void refusedAtDoor(Transport transport, DeviceId channelDevice, RefusalReason reason, String detail) {
    core.refusedAtDoor(transport, channelDevice, reason, detail);
  }

  @Override
  public void refusedConnection(Transport transport, String claimed, String reason, String detail) {
    core.refusedConnection(transport, claimed, reason, detail);
  }

  @Override
  public java.util.Optional<SecurityEventLog> securityEvents() {
    return core.securityEvents();
  }

  @Override
  public java.util.Optional<DoorConnects> doorConnects() {
    return core.doorConnects();
  }

  private void open(Pending pending) {
    try {
      EnvelopeService.Opened result = envelopes.open(pending.envelope(), pending.channel());
      Pending next = new Pending(pending.transport(), pending.channel(), pending.session(), pending.envelope(), result, pending.reply());
      if (!opened.offer(next)) {
        pending.reply().complete(core.refuse(pending.transport(), pending.channel(), RefusalReason.UNAVAILABLE,
            "the platform is saturated; retry"));
      }
    } catch (EnvelopeException e) {
      pending.reply().complete(core.refuse(pending.transport(), pending.channel(), RefusalReason.valueOf(e.reason().name()), e.getMessage()));
    } catch (RuntimeException e) {
      LOG.error("Envelope could not be opened [transport={}, channel={}]", pending.transport(), pending.channel(), e);
      pending.reply().complete(core.refuse(pending.transport(), pending.channel(), RefusalReason.UNAVAILABLE,
          "the platform could not process the message now; retry"));
    }
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(batchMax);
    while (!closed || !opened.isEmpty()) {
      try {
        Pending first = opened.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        opened.drainTo(batch, batchMax - 1);
        batches.incrementAndGet();
        batched.addAndGet(batch.size());
        process(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.error("Inbox batch of {} failed; every message in it is answered UNAVAILABLE", batch.size(), e);
        for (Pending pending : batch) {
          pending.reply().complete(new Reply.Refused(RefusalReason.UNAVAILABLE, "the platform could not process the message now; retry"));
        }
      } finally {
        batch.clear();
      }
    }
  }

  private void process(List<Pending> batch) throws InterruptedException {
    List<EnvelopeService.Opened> openedBatch = new ArrayList<>(batch.size());
    for (Pending pending : batch) {
      openedBatch.add(pending.opened());
    }
    long started = System.nanoTime();
    List<EnvelopeService.Admission> admissions = envelopes.admit(openedBatch);
    long admittedAt = System.nanoTime();
    stepNanos.addAndGet(0, admittedAt - started);
    List<Pending> fresh = new ArrayList<>();
    List<AnswerPayload> payloads = new ArrayList<>();
    // A copy of a message admitted fresh in this very batch (a redelivery racing its original) waits for
    // the original's answer instead of being refused as in progress.
    Map<String, Integer> freshIndex = new HashMap<>();
    List<int[]> copies = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Pending pending = batch.get(i);
      switch (admissions.get(i)) {
        case EnvelopeService.Admission.Fresh ok -> {
          DeviceMessage message = ok.opened().message();
          freshIndex.put(message.deviceId().value() + "#" + message.counter(), fresh.size());
          fresh.add(pending);
        }
        case EnvelopeService.Admission.Refused refused when refused.reason().reason() == EnvelopeException.Reason.DUPLICATE_IN_PROGRESS
            && freshIndex.containsKey(refused.opened().device().deviceId().value() + "#" + refused.opened().counter())
            && MessageDigest.isEqual(refused.opened().messageHash(),
                fresh.get(freshIndex.get(refused.opened().device().deviceId().value() + "#" + refused.opened().counter()))
                    .opened().messageHash()) ->
            copies.add(new int[] {i, freshIndex.get(refused.opened().device().deviceId().value() + "#" + refused.opened().counter())});
        case EnvelopeService.Admission.Repeat repeat -> {
          core.countDuplicate();
          pending.reply().complete(new Reply.Answer(repeat.answer(), true));
        }
        case EnvelopeService.Admission.Refused refused -> {
          pending.reply().complete(core.refuse(pending.transport(), pending.channel(),
              RefusalReason.valueOf(refused.reason().reason().name()), refused.reason().getMessage()));
        }
      }
    }
    if (fresh.isEmpty()) {
      return;
    }
    List<String> sessions = new ArrayList<>(fresh.size());
    List<DeviceMessage> messages = new ArrayList<>(fresh.size());
    for (Pending pending : fresh) {
      sessions.add(pending.session());
      messages.add(pending.opened().message());
    }
    payloads.addAll(core.handleAll(sessions, messages));
    long decidedAt = System.nanoTime();
    stepNanos.addAndGet(1, decidedAt - admittedAt);
    List<Future<byte[]>> sealing = new ArrayList<>(fresh.size());
    for (int i = 0; i < fresh.size(); i++) {
      EnvelopeService.Opened message = fresh.get(i).opened();
      AnswerPayload payload = payloads.get(i);
      sealing.add(sealTask(message, payload));
    }
    List<byte[]> answers = new ArrayList<>(fresh.size());
    for (Future<byte[]> task : sealing) {
      try {
        answers.add(task.get());
      } catch (ExecutionException e) {
        throw new IllegalStateException("answer could not be sealed", e.getCause());
      }
    }
    long sealedAt = System.nanoTime();
    stepNanos.addAndGet(2, sealedAt - decidedAt);
    List<EnvelopeService.Opened> answered = new ArrayList<>(fresh.size());
    for (Pending pending : fresh) {
      answered.add(pending.opened());
    }
    envelopes.storeAnswers(answered, answers);
    stepNanos.addAndGet(3, System.nanoTime() - sealedAt);
    List<CompletableFuture<Reply>> waiting = new ArrayList<>(fresh.size() + copies.size());
    List<Reply> toSend = new ArrayList<>(fresh.size() + copies.size());
    for (int i = 0; i < fresh.size(); i++) {
      waiting.add(fresh.get(i).reply());
      toSend.add(new Reply.Answer(answers.get(i), false));
    }
    for (int[] copy : copies) {
      core.countDuplicate();
      waiting.add(batch.get(copy[0]).reply());
      toSend.add(new Reply.Answer(answers.get(copy[1]), true));
    }
    send(waiting, toSend);
  }

  /** Completes the replies on the reply thread, or here if that thread is gone (the pipeline closing). */
  private void send(List<CompletableFuture<Reply>> waiting, List<Reply> toSend) {
    Runnable task = () -> {
      for (int i = 0; i < waiting.size(); i++) {
        waiting.get(i).complete(toSend.get(i));
      }
    };
    try {
      replies.execute(task);
    } catch (RejectedExecutionException e) {
      task.run();
    }
  }

  /** What the batcher has done so far; subtract two readings to see an interval. */
  public Stats stats() {
    return new Stats(batches.get(), batched.get(), stepNanos.get(0), stepNanos.get(1), stepNanos.get(2), stepNanos.get(3));
  }

  /**
   * Counts and wall-clock time of the batcher, by step: admitting the counters (one transaction),
   * deciding (the business step: rules, mandates, risk, the issuer's holds, the decisions' audit leaves
   * and rows), waiting for the answers to be sealed, and storing them (one transaction).
   */
  public record Stats(long batches, long envelopes, long admitNanos, long decideNanos, long sealNanos, long storeNanos) {
    public double meanBatch() {
      return batches == 0 ? 0 : (double) envelopes / batches;
    }

    /** This reading minus an earlier one. */
    public Stats since(Stats earlier) {
      return new Stats(batches - earlier.batches, envelopes - earlier.envelopes, admitNanos - earlier.admitNanos,
          decideNanos - earlier.decideNanos, sealNanos - earlier.sealNanos, storeNanos - earlier.storeNanos);
    }

    /** Wall-clock nanoseconds the batcher spent in all four steps. */
    public long busyNanos() {
      return admitNanos + decideNanos + sealNanos + storeNanos;
    }

    /** Mean milliseconds per batch of each step: admit, decide, seal, store. */
    public double[] msPerBatch() {
      double n = Math.max(1, batches) * 1e6;
      return new double[] {admitNanos / n, decideNanos / n, sealNanos / n, storeNanos / n};
    }
  }

  /** Seals on its own pool, so answers never queue behind newly arrived envelopes. */
  private Future<byte[]> sealTask(EnvelopeService.Opened message, AnswerPayload payload) {
    return sealPool.submit(() -> envelopes.seal(message, payload));
  }

  /** Stops taking envelopes, finishes those already admitted to a batch, and stops the threads. */
  @Override
  public void close() {
    closed = true;
    for (ExecutorService lane : openLanes) {
      lane.shutdown();
    }
    try {
      for (ExecutorService lane : openLanes) {
        lane.awaitTermination(10, TimeUnit.SECONDS);
      }
      batcher.join(10_000);
      sealPool.shutdown();
      replies.shutdown();
      replies.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
