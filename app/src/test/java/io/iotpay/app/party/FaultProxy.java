package io.iotpay.app.party;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.ArrayList;

/**
 * A TCP proxy that understands the links' framing (2-byte big-endian length, then the message,
 * whose first four bytes are the ASCII MTI) and can drop or duplicate the next frame of one MTI, or
 * run an action (a kill -9) instead of forwarding it. Every other frame passes unchanged, in order.
 * When either side closes, both sides of that connection are closed.
 */
final class FaultProxy implements AutoCloseable {
  enum Fault {
    LOSE,
    DUPLICATE,
    /** Run the armed action (e.g. kill a party) and do not forward the frame. */
    ACT
  }

  private record Armed(String mti, Fault fault, Runnable action) {}

  private final InetSocketAddress target;
  private final ServerSocket server;
  private final List<Armed> armed = new ArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<String> applied = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  FaultProxy(int targetPort) throws IOException {
    this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.startVirtualThread(this::accept);
  }

  int port() {
    return server.getLocalPort();
  }

  /** The next frame with {@code mti} (either direction) gets {@code fault}; {@code action} runs for ACT. */
  void arm(String mti, Fault fault, Runnable action) {
    synchronized (armed) {
      armed.add(new Armed(mti, fault, action));
    }
  }

  /** Forgets armed faults not yet applied and the list of applied ones. */
  void reset() {
    synchronized (armed) {
      armed.clear();
      applied.clear();
    }
  }

  /** The faults applied since the last {@link #reset}, as "MTI FAULT". */
  List<String> applied() {
    return List.copyOf(applied);
  }

  private Armed take(String mti) {
    synchronized (armed) {
      for (int i = 0; i < armed.size(); i++) {
        if (armed.get(i).mti().equals(mti)) {
          Armed fault = armed.remove(i);
          applied.add(mti + " " + fault.fault());
          return fault;
        }
      }
      return null;
    }
  }

  /** Closes every open connection (both sides); new ones are still accepted. */
  void dropConnections() {
    for (Socket socket : sockets) {
      closeQuietly(socket);
    }
    sockets.clear();
  }

  private void accept() {
    while (!closed) {
      Socket in;
      try {
        in = server.accept();
      } catch (IOException e) {
        return;
      }
      Socket out = new Socket();
      try {
        out.connect(target, 5_000);
      } catch (IOException e) {
        closeQuietly(in);
        closeQuietly(out);
        continue;
      }
      sockets.add(in);
      sockets.add(out);
      Thread.startVirtualThread(() -> pump(in, out));
      Thread.startVirtualThread(() -> pump(out, in));
    }
  }

  private void pump(Socket from, Socket to) {
    try {
      InputStream raw = from.getInputStream();
      DataInputStream in = new DataInputStream(raw);
      OutputStream rawOut = to.getOutputStream();
      DataOutputStream out = new DataOutputStream(rawOut);
      while (true) {
        int length = in.readUnsignedShort();
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
          break;
        }
        String mti = body.length >= 4 ? new String(body, 0, 4, StandardCharsets.US_ASCII) : "";
        Armed fault = take(mti);
        int copies = 1;
        if (fault != null) {
          switch (fault.fault()) {
            case LOSE -> copies = 0;
            case DUPLICATE -> copies = 2;
            case ACT -> {
              copies = 0;
              fault.action().run();
            }
          }
        }
        synchronized (to) {
          for (int i = 0; i < copies; i++) {
            out.writeShort(length);
            out.write(body);
          }
          out.flush();
        }
      }
    } catch (IOException e) {
      // one side closed: close both below
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // already closed
    }
    dropConnections();
  }
}
