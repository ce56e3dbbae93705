package io.iotpay.protocol.iso8583;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The initiating end of an ISO 8583 link: one persistent connection carrying many requests in
 * flight, each response matched to its request by {@link Iso8583Message#matchKey()} (response MTI,
 * STAN, terminal id). Every request ends in one {@link Outcome} within
 * {@link LinkSettings#requestTimeoutMs()}; a response nobody waits for (late, duplicate, unknown) is
 * counted and logged, never delivered. The client signs on (0800/001) after each connect,
 * reconnects on the next request after the connection is lost, and sends an echo (0800/301) every
 * {@link LinkSettings#echoIntervalMs()}. Thread-safe.
 */
public final class Iso8583Client implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Iso8583Client.class.getName());

  /** Counters, for tests and metrics. */
  public record Stats(long sent, long answered, long timedOut, long unmatched, long macFailures, long connects) {}

  /** A request in flight: its caller's future, the key it was MACed under and the connection it went out on. */
  private record Pending(CompletableFuture<Outcome> future, ZoneKeys.Generation key, Link link) {}

  private final InetSocketAddress server;
  private final LinkSettings settings;
  private final ZoneKeys keys;
  private final Iso8583Wire wire;
  private final Map<Iso8583Message.MatchKey, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicInteger stan = new AtomicInteger();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong timedOut = new AtomicLong();
  private final AtomicLong unmatched = new AtomicLong();
  private final AtomicLong macFailures = new AtomicLong();
  private final AtomicLong connects = new AtomicLong();
  private final Object connectLock = new Object();
  private final ReentrantLock signOnLock = new ReentrantLock(); // held across I/O: a lock, so virtual threads do not pin
  private final Thread echoThread;
  private volatile Link link;
  private volatile boolean closed;

  /** One TCP connection and its writer. */
  private record Link(Socket socket, OutputStream out, ReentrantLock writeLock) {}

  /**
   * @param keys the link's zone keys; may be null only when {@code settings.macRequired()} is false
   */
  public Iso8583Client(InetSocketAddress server, LinkSettings settings, ZoneKeys keys, Iso8583Wire wire) {
    Assert.that(!settings.macRequired() || keys != null, "a MACed link needs zone keys");
    this.server = Assert.notNull(server, "server");
    this.settings = settings;
    this.keys = keys;
    this.wire = Assert.notNull(wire, "wire");
    this.echoThread = settings.echoIntervalMs() > 0
        ? Thread.ofVirtual().name("iso8583-echo").start(this::echoLoop)
        : null;
  }

  /** The next STAN, 1..999,999 then round again: unique among requests in flight. */
  public int nextStan() {
    return stan.updateAndGet(s -> s >= Iso8583Limits.STAN_MAX ? 1 : s + 1);
  }

  /** True while a signed-on connection is open (false after a drop, until the next request reconnects). */
  public boolean isConnected() {
    return link != null;
  }

  public Stats stats() {
    return new Stats(sent.get(), answered.get(), timedOut.get(), unmatched.get(), macFailures.get(), connects.get());
  }

  /**
   * Connects and signs on, unless already connected.
   *
   * @throws IOException when the connection fails or the peer does not approve the sign-on
   */
  public void connect() throws IOException {
    signOnLock.lock();
    try {
      if (link != null || closed) {
        return;
      }
      Socket socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(server, (int) settings.connectTimeoutMs());
      Link opened = new Link(socket, new BufferedOutputStream(socket.getOutputStream(), 8192), new ReentrantLock());
      connects.incrementAndGet();
      Thread.ofVirtual().name("iso8583-client-read").start(() -> readLoop(opened));
      // Only the sign-on travels before the link is published: other senders wait on this lock.
      Outcome signOn = transmit(opened, network(NetworkCode.SIGN_ON, null)).join();
      if (!(signOn instanceof Outcome.Answered answer
          && answer.response() instanceof NetworkManagementResponse response
          && response.responseCode().approved())) {
        socket.close();
        throw new IOException("sign-on not approved: " + signOn);
      }
      synchronized (connectLock) {
        link = opened;
      }
    } finally {
      signOnLock.unlock();
    }
  }

  /** Sends {@code request} and waits for its outcome (at most the request timeout). */
  public Outcome send(Iso8583Message request) {
    return sendAsync(request).join();
  }

  /**
   * Sends {@code request}; the future completes with its outcome within the request timeout.
   *
   * @throws AssertionError when {@code request} is a response (a programmer error)
   */
  public CompletableFuture<Outcome> sendAsync(Iso8583Message request) {
    Assert.that(request.mti().isRequest(), "{} is a response, not a request", request.mti().code());
    Link current = link;
    if (current == null) {
      try {
        connect();
      } catch (IOException e) {
        return CompletableFuture.completedFuture(new Outcome.LinkDown("connect failed: " + e.getMessage()));
      }
      current = link;
      if (current == null) {
        return CompletableFuture.completedFuture(new Outcome.LinkDown("not connected"));
      }
    }
    return transmit(current, request);
  }

  private CompletableFuture<Outcome> transmit(Link current, Iso8583Message request) {
    Iso8583Message.MatchKey key = request.matchKey();
    if (pending.size() >= settings.inFlightMax()) {
      return CompletableFuture.completedFuture(new Outcome.NotSent("in-flight bound " + settings.inFlightMax() + " reached"));
    }
    ZoneKeys.Generation zak = settings.macRequired() ? keys.current() : null;
    CompletableFuture<Outcome> future = new CompletableFuture<>();
    Pending entry = new Pending(future, zak, current);
    if (pending.putIfAbsent(key, entry) != null) {
      return CompletableFuture.completedFuture(new Outcome.NotSent("a request with the same key is in flight: " + key));
    }
    future.completeOnTimeout(new Outcome.TimedOut(key, settings.requestTimeoutMs()), settings.requestTimeoutMs(),
        TimeUnit.MILLISECONDS);
    // The caller gets the stage after the bookkeeping, so counters are up to date when it looks.
    CompletableFuture<Outcome> result = future.thenApply(outcome -> {
      pending.remove(key, entry);
      switch (outcome) {
        case Outcome.Answered a -> answered.incrementAndGet();
        case Outcome.TimedOut t -> timedOut.incrementAndGet();
        case Outcome.MacRefused m -> { }
        case Outcome.LinkDown l -> { }
        case Outcome.NotSent n -> { }
      }
      return outcome;
    });
    byte[] bytes = zak == null ? wire.write(request) : wire.write(request, keys, zak);
    // A lock, not synchronized: a virtual thread blocked in a write inside synchronized pins its carrier on JDK 21.
    current.writeLock().lock();
    try {
      Frames.write(current.out(), bytes);
      sent.incrementAndGet();
    } catch (IOException e) {
      drop(current, "write failed: " + e.getMessage());
    } finally {
      current.writeLock().unlock();
    }
    return result;
  }

  /**
   * Rotates the zone authentication key: sends the new one under the ZMK (0800/101) and switches to
   * it once the peer approves. Requests in flight keep verifying under the key they were sent with.
   *
   * @return the outcome of the 0800/101
   */
  public Outcome changeKey() {
    Assert.that(keys != null, "key change on a link without zone keys");
    SecretKeyBytes newZak = ZoneKeys.newZak();
    Outcome outcome = send(network(NetworkCode.KEY_CHANGE, keys.wrap(newZak)));
    if (outcome instanceof Outcome.Answered answer
        && answer.response() instanceof NetworkManagementResponse response
        && response.responseCode().approved()) {
      ZoneKeys.Generation installed = keys.install(newZak, System.currentTimeMillis());
      LOG.log(Level.INFO, "ISO 8583 zone authentication key changed [generation={0}]", installed.number());
    }
    return outcome;
  }

  private NetworkManagementRequest network(NetworkCode code, KeyExchange exchange) {
    return new NetworkManagementRequest(code, MonthDayTime.utc(Instant.now()), nextStan(), settings.institutionId(),
        settings.nodeId(), exchange);
  }

  private void readLoop(Link current) {
    try {
      DataInputStream in = new DataInputStream(new BufferedInputStream(current.socket().getInputStream(), 8192));
      while (true) {
        byte[] frame = Frames.read(in, settings.frameBytesMax());
        if (frame == null) {
          drop(current, "peer closed the connection");
          return;
        }
        deliver(frame);
      }
    } catch (IOException e) {
      drop(current, e.getMessage());
    }
  }

  private void deliver(byte[] frame) {
    Iso8583Wire.Received received;
    try {
      received = wire.read(frame);
    } catch (Iso8583Exception e) {
      unmatched.incrementAndGet();
      LOG.log(Level.WARNING, "ISO 8583 response refused [reason={0}, detail={1}]", e.reason(), e.detail());
      return;
    }
    Iso8583Message response = received.message();
    Pending waiting = response.mti().isRequest() ? null : pending.get(response.matchKey());
    if (waiting == null) {
      unmatched.incrementAndGet();
      LOG.log(Level.WARNING, "ISO 8583 response matches no request in flight, dropped [mti={0}, stan={1}, terminal={2}]",
          response.mti().code(), response.stan(), response.terminalId());
      return;
    }
    if (!waiting.future().complete(checked(received, waiting))) {
      unmatched.incrementAndGet(); // it timed out between the lookup and now: late after all
    }
  }

  private Outcome checked(Iso8583Wire.Received received, Pending waiting) {
    if (!settings.macRequired()) {
      return new Outcome.Answered(received.message());
    }
    if (received.mac() == null && refusedForMac(received.message())) {
      return new Outcome.MacRefused(Iso8583Exception.Reason.MAC_INVALID);
    }
    List<ZoneKeys.Generation> candidates = List.of(waiting.key(), keys.current());
    try {
      Iso8583Wire.verify(received, keys, candidates);
      return new Outcome.Answered(received.message());
    } catch (Iso8583Exception e) {
      macFailures.incrementAndGet();
      LOG.log(Level.WARNING, "ISO 8583 response MAC refused [mti={0}, stan={1}, reason={2}]",
          received.message().mti().code(), received.message().stan(), e.reason());
      return new Outcome.MacRefused(e.reason());
    }
  }

  private static boolean refusedForMac(Iso8583Message response) {
    return switch (response) {
      case CardResponse r -> r.responseCode() == ResponseCode.MAC_FAILURE;
      case NetworkManagementResponse r -> r.responseCode() == ResponseCode.MAC_FAILURE;
      case AccountVerificationResponse r -> r.responseCode() == ResponseCode.MAC_FAILURE;
      case AccountVerificationRequest r -> false;
      case AuthorisationRequest r -> false;
      case FinancialRequest r -> false;
      case AdviceRequest r -> false;
      case ReversalRequest r -> false;
      case NetworkManagementRequest r -> false;
    };
  }

  /** Closes {@code current} (if it is still the link) and ends every request waiting on it with LinkDown. */
  private void drop(Link current, String reason) {
    boolean wasLink;
    synchronized (connectLock) {
      wasLink = link == current;
      if (wasLink) {
        link = null;
      }
    }
    try {
      current.socket().close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "ISO 8583 close failed [reason={0}]", e.getMessage());
    }
    if (wasLink && !closed) {
      LOG.log(Level.WARNING, "ISO 8583 link down [server={0}, reason={1}, inFlight={2}]", server, reason, pending.size());
    }
    // Only the requests that went out on this connection: an old connection's reader noticing its
    // end late must not fail the sign-on or the requests of the connection that replaced it.
    for (Pending waiting : pending.values()) {
      if (waiting.link() == current) {
        waiting.future().complete(new Outcome.LinkDown(reason));
      }
    }
  }

  private void echoLoop() {
    while (!closed) {
      try {
        Thread.sleep(settings.echoIntervalMs());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      Link current = link;
      if (current != null && !closed) {
        Outcome outcome = transmit(current, network(NetworkCode.ECHO, null)).join();
        if (!(outcome instanceof Outcome.Answered)) {
          drop(current, "echo failed: " + outcome);
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    if (echoThread != null) {
      echoThread.interrupt();
    }
    Link current = link;
    if (current != null) {
      drop(current, "client closed");
    }
  }
}
