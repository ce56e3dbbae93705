package io.iotpay.demo.pos;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy on one ISO 8583 link that forwards whole frames (2-byte length header) both
 * ways and, when armed, drops the next frame coming back from the server (a lost response: the
 * request reached the far end and was acted on, only its answer is gone) or sends the next request
 * frame twice (a duplicate message).
 */
final class DropProxy implements AutoCloseable {
  private static final int FRAME_BYTES_MAX = 65_535;
  private final ServerSocket listener;
  private final int target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger dropResponses = new AtomicInteger();
  private final AtomicInteger duplicateRequests = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong duplicated = new AtomicLong();
  private volatile boolean closed;

  DropProxy(int targetPort) throws IOException {
    this.target = targetPort;
    this.listener = new ServerSocket(0, 50, Links.loopback(0).getAddress());
    Thread.ofVirtual().name("drop-proxy-accept").start(this::accept);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** The next response frame from the server is dropped. */
  void dropNextResponse() {
    dropResponses.incrementAndGet();
  }

  /** The next request frame to the server is sent twice (a duplicate message). */
  void duplicateNextRequest() {
    duplicateRequests.incrementAndGet();
  }

  long dropped() {
    return dropped.get();
  }

  long duplicated() {
    return duplicated.get();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(listener.getInetAddress(), target);
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(server);
        Thread.ofVirtual().start(() -> pump(in(client), server, false));
        Thread.ofVirtual().start(() -> pump(in(server), client, true));
      } catch (IOException e) {
        if (!closed) {
          System.getLogger(DropProxy.class.getName()).log(System.Logger.Level.WARNING, "proxy accept failed: {0}",
              e.getMessage());
        }
      }
    }
  }

  private static InputStream in(Socket socket) {
    try {
      return socket.getInputStream();
    } catch (IOException e) {
      return InputStream.nullInputStream();
    }
  }

  private void pump(InputStream from, Socket to, boolean responses) {
    try (DataInputStream in = new DataInputStream(from)) {
      OutputStream raw = to.getOutputStream();
      DataOutputStream out = new DataOutputStream(raw);
      while (true) {
        int length = in.readUnsignedShort();
        if (length > FRAME_BYTES_MAX) {
          break;
        }
        byte[] frame = in.readNBytes(length);
        if (frame.length < length) {
          break;
        }
        if (responses && dropResponses.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
          dropped.incrementAndGet();
          continue;
        }
        int copies = !responses && duplicateRequests.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0 ? 2 : 1;
        duplicated.addAndGet(copies - 1);
        for (int c = 0; c < copies; c++) {
          out.writeShort(length);
          out.write(frame);
        }
        out.flush();
      }
    } catch (EOFException e) {
      // the peer closed the connection
    } catch (IOException e) {
      // the link broke; the other pump sees it too
    } finally {
      try {
        to.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing
    }
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }
}
