package io.iotpay.protocol.iso8583;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Real loopback servers, clients and hand-driven peers for the link tests. */
final class LinkFixture {
  private LinkFixture() {}

  static final Iso8583Wire WIRE = Iso8583Wire.load();

  static LinkSettings serverSettings() {
    return LinkSettings.defaults("48020000", "SWITCH01").withEchoIntervalMs(0);
  }

  static LinkSettings clientSettings() {
    return LinkSettings.defaults("48020000", "ACQ00001").withEchoIntervalMs(0).withRequestTimeoutMs(5_000);
  }

  /** A handler that approves with an approval code made of the STAN, so each caller can check its own answer. */
  static Iso8583Message approveWithStan(Iso8583Message request) {
    return CardResponse.answering(request, ResponseCode.APPROVED, String.format("%06d", request.stan()), null);
  }

  static Iso8583Server server(AlgorithmSuite suite, Iso8583Server.Handler handler) throws IOException {
    return new Iso8583Server(serverSettings(), Samples.zoneKeys(suite), handler, WIRE).start(loopback(0));
  }

  /** A server on {@code port}, once the previous listener there has really let go of it. */
  static Iso8583Server startWhenPortFree(AlgorithmSuite suite, int port) throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try {
        return new Iso8583Server(serverSettings(), Samples.zoneKeys(suite), LinkFixture::approveWithStan, WIRE)
            .start(loopback(port));
      } catch (java.net.BindException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        LockSupport.parkNanos(1_000_000);
      }
    }
  }

  static Iso8583Client client(AlgorithmSuite suite, int port, LinkSettings settings) {
    return new Iso8583Client(loopback(port), settings, Samples.zoneKeys(suite), WIRE);
  }

  static InetSocketAddress loopback(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  /** Waits until {@code condition} holds, polling every millisecond, failing after {@code timeout}. */
  static void await(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  /** One frame from {@code in}, MAC-checked under the test keys. */
  static Iso8583Wire.Received readFrame(DataInputStream in) throws IOException {
    byte[] frame = Frames.read(in, Iso8583Limits.MESSAGE_BYTES_MAX);
    if (frame == null) {
      throw new IOException("peer closed");
    }
    return WIRE.read(frame);
  }

  /** A peer we drive by hand: accepts one connection and runs {@code script} on it. */
  static final class ScriptedPeer implements AutoCloseable {
    interface Script {
      void run(DataInputStream in, OutputStream out) throws IOException;
    }

    private final ServerSocket listener;

    ScriptedPeer(Script script) throws IOException {
      listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
      Thread.ofVirtual().start(() -> {
        try (Socket socket = listener.accept()) {
          script.run(new DataInputStream(new BufferedInputStream(socket.getInputStream())), socket.getOutputStream());
        } catch (IOException e) {
          // The script ends by closing or by the client going away: both are what the tests provoke.
        }
      });
    }

    int port() {
      return listener.getLocalPort();
    }

    /** Stops accepting: a reconnect then finds nobody. */
    void stopListening() throws IOException {
      listener.close();
    }

    @Override
    public void close() throws IOException {
      stopListening();
    }
  }

  /** Answers an 0800 sign-on read from {@code in} with 00 under the test keys. */
  static void answerSignOn(AlgorithmSuite suite, DataInputStream in, OutputStream out) throws IOException {
    Iso8583Wire.Received signOn = readFrame(in);
    ZoneKeys keys = Samples.zoneKeys(suite);
    Frames.write(out, WIRE.write(NetworkManagementResponse.answering((NetworkManagementRequest) signOn.message(),
        ResponseCode.APPROVED), suite, keys.current()));
  }
}
