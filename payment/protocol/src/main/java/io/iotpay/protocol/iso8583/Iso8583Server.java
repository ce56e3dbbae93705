package io.iotpay.protocol.iso8583;

import io.iotpay.foundation.Assert;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The listening end of ISO 8583 links: one virtual thread per connection reads frames, and each
 * request is handled on its own virtual thread (at most {@link LinkSettings#inFlightMax()} per
 * connection) so one slow issuer answer does not hold up the others. Network management (0800) is
 * answered here; card requests go to the {@link Handler} once their MAC verified.
 *
 * <p>Refusals: a request whose MAC is missing or wrong is answered with 39=A0 and no field 128 (we
 * cannot prove ourselves to a peer whose key we disagree with); bytes that are not a message are
 * counted and logged, and get no answer (their STAN cannot be trusted); a frame over the bound
 * closes the connection.
 */
public final class Iso8583Server implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Iso8583Server.class.getName());

  /** What the party behind the server does with a verified card request. */
  @FunctionalInterface
  public interface Handler {
    /**
     * The response to {@code request} (use {@link CardResponse#answering}). Called on a virtual
     * thread, concurrently for requests in flight. An exception is answered with 96.
     *
     * @param request an 0100, 0120, 0200, 0400 or 0420
     * @return the response, matching the request's {@link Iso8583Message#matchKey()}
     */
    Iso8583Message handle(Iso8583Message request);
  }

  /** Counters, for tests and metrics. */
  public record Stats(long requests, long macRefusals, long malformed, long framesTooLong, long connectionsRefused) {}

  private final LinkSettings settings;
  private final ZoneKeys keys;
  private final Handler handler;
  private final Iso8583Wire wire;
  private final Semaphore connections;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong macRefusals = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong framesTooLong = new AtomicLong();
  private final AtomicLong connectionsRefused = new AtomicLong();
  private volatile ServerSocket serverSocket;
  private volatile Thread acceptThread;
  /** How long {@link #close()} waits for the accept loop to end, which releases the port. */
  private static final long CLOSE_WAIT_MS = 5_000;

  /**
   * @param keys the link's zone keys; may be null only when {@code settings.macRequired()} is false
   */
  public Iso8583Server(LinkSettings settings, ZoneKeys keys, Handler handler, Iso8583Wire wire) {
    Assert.that(!settings.macRequired() || keys != null, "a MACed link needs zone keys");
    this.settings = settings;
    this.keys = keys;
    this.handler = Assert.notNull(handler, "handler");
    this.wire = Assert.notNull(wire, "wire");
    this.connections = new Semaphore(settings.connectionsMax());
  }

  /**
   * Binds and starts accepting.
   *
   * @throws IOException when the address cannot be bound
   */
  public Iso8583Server start(InetSocketAddress address) throws IOException {
    Assert.that(serverSocket == null, "server already started");
    ServerSocket socket = new ServerSocket();
    try {
      socket.setReuseAddress(true);
      socket.bind(address, 128);
    } catch (IOException e) {
      closeQuietly(socket);
      throw e;
    }
    serverSocket = socket;
    acceptThread = Thread.ofVirtual().name("iso8583-accept-" + socket.getLocalPort()).start(this::acceptLoop);
    LOG.log(Level.INFO, "ISO 8583 server listening [port={0}, mac={1}]", socket.getLocalPort(), settings.macRequired());
    return this;
  }

  /** The bound port. */
  public int port() {
    return serverSocket.getLocalPort();
  }

  public Stats stats() {
    return new Stats(requests.get(), macRefusals.get(), malformed.get(), framesTooLong.get(), connectionsRefused.get());
  }

  private void acceptLoop() {
    while (!serverSocket.isClosed()) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        if (!serverSocket.isClosed()) {
          LOG.log(Level.WARNING, "ISO 8583 accept failed [reason={0}]", e.getMessage());
        }
        continue;
      }
      if (!connections.tryAcquire()) {
        connectionsRefused.incrementAndGet();
        LOG.log(Level.WARNING, "ISO 8583 connection refused: {0} connections open [peer={1}]",
            settings.connectionsMax(), socket.getRemoteSocketAddress());
        closeQuietly(socket);
        continue;
      }
      open.add(socket);
      if (serverSocket.isClosed()) {
        // close() ran between accept() and open.add(): it did not see this connection, so end it here
        // (otherwise a closed server would go on answering on it).
        open.remove(socket);
        connections.release();
        closeQuietly(socket);
        continue;
      }
      Thread.ofVirtual().name("iso8583-conn-" + socket.getPort()).start(() -> serve(socket));
    }
  }

  private void serve(Socket socket) {
    Connection connection = null;
    try (socket) {
      socket.setTcpNoDelay(true);
      connection = new Connection(socket);
      connection.readLoop();
    } catch (Frames.FrameTooLongException e) {
      framesTooLong.incrementAndGet();
      LOG.log(Level.WARNING, "ISO 8583 connection closed: {0} [peer={1}]", e.getMessage(), socket.getRemoteSocketAddress());
    } catch (IOException e) {
      LOG.log(Level.INFO, "ISO 8583 connection ended [peer={0}, reason={1}]", socket.getRemoteSocketAddress(), e.getMessage());
    } finally {
      open.remove(socket);
      connections.release();
    }
  }

  /** One accepted connection: its sign-on state, its writer lock and its in-flight bound. */
  private final class Connection {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    // A lock, not synchronized: a virtual thread blocked in a write inside synchronized pins its carrier on JDK 21.
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Semaphore inFlight = new Semaphore(settings.inFlightMax());
    private volatile boolean signedOn;

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 8192));
      this.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
    }

    void readLoop() throws IOException {
      while (true) {
        byte[] frame = Frames.read(in, settings.frameBytesMax());
        if (frame == null) {
          return;
        }
        inFlight.acquireUninterruptibly();
        Thread.ofVirtual().start(() -> {
          try {
            process(frame);
          } finally {
            inFlight.release();
          }
        });
      }
    }

    private void process(byte[] frame) {
      Iso8583Wire.Received received;
      try {
        received = wire.read(frame);
      } catch (Iso8583Exception e) {
        malformed.incrementAndGet();
        LOG.log(Level.WARNING, "ISO 8583 message refused, not answered [reason={0}, detail={1}]", e.reason(), e.detail());
        return;
      }
      Iso8583Message request = received.message();
      if (!request.mti().isRequest()) {
        malformed.incrementAndGet();
        LOG.log(Level.WARNING, "ISO 8583 response sent to a server, dropped [mti={0}]", request.mti().code());
        return;
      }
      requests.incrementAndGet();
      ZoneKeys.Generation key = null;
      if (settings.macRequired()) {
        try {
          key = Iso8583Wire.verify(received, keys, keys.acceptable(System.currentTimeMillis()));
        } catch (Iso8583Exception e) {
          macRefusals.incrementAndGet();
          LOG.log(Level.WARNING, "ISO 8583 MAC refused, answered A0 [mti={0}, stan={1}, reason={2}]",
              request.mti().code(), request.stan(), e.reason());
          send(refusal(request, ResponseCode.MAC_FAILURE), null);
          return;
        }
      }
      send(answer(request), key);
    }

    private Iso8583Message answer(Iso8583Message request) {
      if (request instanceof NetworkManagementRequest management) {
        return manage(management);
      }
      if (settings.signOnRequired() && !signedOn) {
        LOG.log(Level.WARNING, "ISO 8583 card request before sign-on, answered 91 [mti={0}, stan={1}]",
            request.mti().code(), request.stan());
        return refusal(request, ResponseCode.ISSUER_UNAVAILABLE);
      }
      Iso8583Message response;
      try {
        response = handler.handle(request);
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, () -> "ISO 8583 handler failed, answered 96 [mti=" + request.mti().code() + ", stan="
            + request.stan() + "]", e); // with the stack trace (a format argument would drop it)
        return refusal(request, ResponseCode.SYSTEM_MALFUNCTION);
      }
      Assert.that(response != null && response.matchKey().equals(request.matchKey()),
          "handler answered {} with a response that does not match it", request.matchKey());
      return response;
    }

    private Iso8583Message manage(NetworkManagementRequest request) {
      ResponseCode code = ResponseCode.APPROVED;
      switch (request.code()) {
        case SIGN_ON -> signedOn = true;
        case SIGN_OFF -> signedOn = false;
        case ECHO -> { }
        case KEY_CHANGE -> code = changeKey(request);
      }
      LOG.log(Level.INFO, "ISO 8583 network management [code={0}, node={1}, answer={2}]",
          request.code().code(), request.nodeId(), code.code());
      return NetworkManagementResponse.answering(request, code);
    }

    private ResponseCode changeKey(NetworkManagementRequest request) {
      if (keys == null) {
        return ResponseCode.INVALID_TRANSACTION;
      }
      try {
        ZoneKeys.Generation installed = keys.install(keys.unwrap(request.keyExchange()), System.currentTimeMillis());
        LOG.log(Level.INFO, "ISO 8583 zone authentication key changed [generation={0}, kcv={1}]",
            installed.number(), request.keyExchange());
        return ResponseCode.APPROVED;
      } catch (Iso8583Exception e) {
        LOG.log(Level.WARNING, "ISO 8583 key change refused [reason={0}]", e.detail());
        return e.responseCode();
      }
    }

    private void send(Iso8583Message response, ZoneKeys.Generation key) {
      byte[] bytes = key == null ? wire.write(response) : wire.write(response, keys, key);
      writeLock.lock();
      try {
        Frames.write(out, bytes);
      } catch (IOException e) {
        LOG.log(Level.INFO, "ISO 8583 response not written, connection gone [mti={0}, stan={1}]",
            response.mti().code(), response.stan());
        closeQuietly(socket);
      } finally {
        writeLock.unlock();
      }
    }
  }

  /** The answer that refuses {@code request} with {@code code}, echoing its keys. */
  static Iso8583Message refusal(Iso8583Message request, ResponseCode code) {
    if (request instanceof NetworkManagementRequest management) {
      return NetworkManagementResponse.answering(management, code);
    }
    if (request instanceof AccountVerificationRequest verification) {
      return AccountVerificationResponse.answering(verification, code, null);
    }
    return CardResponse.answering(request, code, null, null);
  }

  @Override
  public void close() {
    ServerSocket socket = serverSocket;
    if (socket != null) {
      closeQuietly(socket);
    }
    for (Socket connection : open) {
      closeQuietly(connection);
    }
    awaitAcceptLoopEnd();
  }

  /**
   * A socket closed while a virtual thread is blocked in its accept is released only when that
   * thread wakes: waiting for the loop to end means the port is free when {@link #close()} returns
   * (a server started again on the same port then binds).
   */
  private void awaitAcceptLoopEnd() {
    Thread thread = acceptThread;
    if (thread == null || thread == Thread.currentThread()) {
      return;
    }
    try {
      if (!thread.join(java.time.Duration.ofMillis(CLOSE_WAIT_MS))) {
        LOG.log(Level.WARNING, "ISO 8583 accept loop still running {0} ms after close", CLOSE_WAIT_MS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // Closing is best effort: the peer may already be gone; nothing to undo.
      LOG.log(Level.DEBUG, "ISO 8583 close failed [reason={0}]", e.getMessage());
    }
  }
}
