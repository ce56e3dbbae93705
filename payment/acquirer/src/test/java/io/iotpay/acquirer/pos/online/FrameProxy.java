package io.iotpay.acquirer.pos.online;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny TCP proxy that reads ISO 8583 frames (2-byte big-endian length, then the message) in both
 * directions and can drop frames flowing back to the client by MTI (the "answer lost on the way"
 * fault of the failure-exit tests) or hold them back until the test lets them go (a late answer),
 * and drop frames flowing to the server by MTI (a request lost on the way).
 * Frames are otherwise passed on unchanged.
 */
final class FrameProxy implements AutoCloseable {
  private final ServerSocket server;
  private final InetSocketAddress upstream;
  private final Map<String, AtomicInteger> dropBack = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> holdBack = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> dropForward = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> corruptBack = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> corruptForward = new ConcurrentHashMap<>();
  private final List<Held> held = new CopyOnWriteArrayList<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  final List<String> dropped = new CopyOnWriteArrayList<>();
  final List<String> passedBack = new CopyOnWriteArrayList<>();

  FrameProxy(InetSocketAddress upstream) throws IOException {
    this.upstream = upstream;
    this.server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("frame-proxy-accept").start(this::acceptLoop);
  }

  InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
  }

  /** Drops the next {@code count} frames of {@code mti} flowing back to the client. */
  void dropBack(String mti, int count) {
    dropBack.put(mti, new AtomicInteger(count));
  }

  /** Drops the next {@code count} frames of {@code mti} flowing from the client to the server. */
  void dropForward(String mti, int count) {
    dropForward.put(mti, new AtomicInteger(count));
  }

  /** Changes the last byte (a hex digit of field 128, the MAC) of the next {@code count} frames of {@code mti} flowing back. */
  void corruptBack(String mti, int count) {
    corruptBack.put(mti, new AtomicInteger(count));
  }

  /** As {@link #corruptBack}, for frames flowing from the client to the server. */
  void corruptForward(String mti, int count) {
    corruptForward.put(mti, new AtomicInteger(count));
  }

  /** Holds back the next {@code count} frames of {@code mti} flowing back to the client, until {@link #releaseHeld}. */
  void holdBack(String mti, int count) {
    holdBack.put(mti, new AtomicInteger(count));
  }

  /** Sends every held frame on, in order: a late answer. */
  void releaseHeld() throws IOException {
    for (Held frame : held) {
      synchronized (frame.out()) {
        frame.out().write(new byte[] {(byte) (frame.body().length >> 8), (byte) frame.body().length});
        frame.out().write(frame.body());
        frame.out().flush();
      }
      passedBack.add(frame.mti());
      held.remove(frame);
    }
  }

  private record Held(String mti, byte[] body, OutputStream out) {}

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket up = new Socket();
        up.connect(upstream, 5_000);
        open.add(client);
        open.add(up);
        Thread.ofVirtual().start(() -> pump(client, up, false));
        Thread.ofVirtual().start(() -> pump(up, client, true));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, boolean back) {
    try {
      DataInputStream in = new DataInputStream(new BufferedInputStream(from.getInputStream()));
      OutputStream out = to.getOutputStream();
      while (true) {
        int length = in.readUnsignedShort();
        byte[] body = new byte[length];
        in.readFully(body);
        String mti = new String(body, 0, Math.min(4, length), StandardCharsets.US_ASCII);
        if (back) {
          AtomicInteger budget = dropBack.get(mti);
          if (budget != null && budget.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            dropped.add(mti);
            continue;
          }
          corrupt(corruptBack, mti, body);
          AtomicInteger hold = holdBack.get(mti);
          if (hold != null && hold.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            held.add(new Held(mti, body, out));
            continue;
          }
          passedBack.add(mti);
        } else {
          corrupt(corruptForward, mti, body);
          AtomicInteger budget = dropForward.get(mti);
          if (budget != null && budget.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            dropped.add(mti);
            continue;
          }
        }
        synchronized (out) {
          out.write(new byte[] {(byte) (length >> 8), (byte) length});
          out.write(body);
          out.flush();
        }
      }
    } catch (EOFException e) {
      // peer closed
    } catch (IOException e) {
      // connection closed
    } finally {
      close(from);
      close(to);
    }
  }

  private static void corrupt(Map<String, AtomicInteger> budgets, String mti, byte[] body) {
    AtomicInteger budget = budgets.get(mti);
    if (budget != null && budget.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      body[body.length - 1] = (byte) (body[body.length - 1] == '0' ? '1' : '0');
    }
  }

  private void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
    open.remove(socket);
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // already closed
    }
    for (Socket socket : open) {
      close(socket);
    }
  }
}
