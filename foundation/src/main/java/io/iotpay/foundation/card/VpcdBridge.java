package io.iotpay.foundation.card;

import io.iotpay.foundation.codec.CodecException;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a card that lives in this JVM (an applet in jCardSim, behind any {@link CardChannel}) into a
 * real PC/SC reader: it plays the "virtual ICC" side of vsmartcard's vpcd driver, so {@code pcscd}
 * shows a reader ("Virtual PCD 00 00" on port 35963) with this card in it, and any PC/SC client —
 * {@code javax.smartcardio}, {@code opensc-tool}, {@code pcsc_scan} — talks to it through the whole
 * PC/SC stack.
 *
 * <p>vpcd's protocol (vsmartcard, {@code vpcd/vpcd.c}): vpcd listens; the card side connects and
 * reads frames of a 2-byte big-endian length and that many bytes. A 1-byte frame is a control
 * code (00 power off, 01 power on, 02 reset, 04 get ATR: answered with the ATR); any longer frame is
 * a command APDU, answered with a frame holding the response APDU. jCardSim's own vpcd bridge cannot
 * install an applet with install data, which is why the card is handed over already installed.
 *
 * <p>{@link #pull()} models a card leaving the field mid-exchange: the bridge drops the connection
 * when the next command arrives, and vpcd reports the card gone to the reader's client. A backend
 * that throws {@link CardGoneException} (the card ran the command, then left) is pulled the same way,
 * after the card has executed the command and before its answer goes back.
 */
public final class VpcdBridge implements AutoCloseable {
  /** vpcd's default port for the first virtual reader ({@code Virtual PCD 00 00}). */
  public static final int DEFAULT_PORT = 35963;
  /** The largest frame vpcd sends: an extended APDU (65,535 bytes of data plus header and Le). */
  static final int FRAME_BYTES_MAX = 65_544;
  /** How long connecting to vpcd may take. */
  static final int CONNECT_TIMEOUT_MS = 2_000;

  private static final Logger log = LoggerFactory.getLogger(VpcdBridge.class);

  private final CardChannel card;
  private final byte[] atr;
  private final Runnable onReset;
  private final Socket socket;
  private final Thread worker;
  private final AtomicBoolean pulled = new AtomicBoolean();
  private final CountDownLatch poweredOn = new CountDownLatch(1);
  private volatile boolean closed;

  private VpcdBridge(CardChannel card, byte[] atr, Runnable onReset, Socket socket) {
    this.card = card;
    this.atr = atr.clone();
    this.onReset = onReset;
    this.socket = socket;
    this.worker = Thread.ofPlatform().daemon().name("vpcd-bridge").unstarted(this::serve);
  }

  /**
   * Connects to vpcd and serves the card until {@link #close()} or {@link #pull()}.
   *
   * @param host where pcscd's vpcd driver listens (loopback in tests)
   * @param port vpcd's port, {@link #DEFAULT_PORT} for the first reader
   * @param card the card the reader will hold
   * @param atr the answer to reset the reader reports
   * @param onReset run when the reader powers the card off or resets it (a card loses its
   *     transient state then); may be a no-op
   * @throws IOException when vpcd does not accept the connection (pcscd or vpcd not running)
   */
  public static VpcdBridge connect(String host, int port, CardChannel card, byte[] atr, Runnable onReset)
      throws IOException {
    Objects.requireNonNull(card, "card");
    Objects.requireNonNull(onReset, "onReset");
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
    VpcdBridge bridge = new VpcdBridge(card, atr, onReset, socket);
    bridge.worker.start();
    return bridge;
  }

  /**
   * Waits until the reader has noticed the card: powered it on, reset it or asked for its ATR
   * (pcscd does one of these when the card arrives).
   *
   * @return whether it did within the time given
   */
  public boolean awaitPoweredOn(long timeoutMs) throws InterruptedException {
    return poweredOn.await(timeoutMs, TimeUnit.MILLISECONDS);
  }

  /** The card leaves the field: the next command gets no answer and the connection drops. */
  public void pull() {
    pulled.set(true);
  }

  private void serve() {
    try (DataInputStream in = new DataInputStream(socket.getInputStream());
        DataOutputStream out = new DataOutputStream(socket.getOutputStream())) {
      while (!closed) {
        byte[] frame = readFrame(in);
        if (frame.length == 1) {
          control(frame[0], out);
        } else if (pulled.get()) {
          log.info("Card pulled from the virtual reader before it received a command");
          return;
        } else {
          byte[] response = answer(frame);
          if (response == null) {
            log.info("Card pulled from the virtual reader before its answer went back");
            return;
          }
          writeFrame(out, response);
        }
      }
    } catch (EOFException e) {
      log.info("vpcd closed the connection");
    } catch (IOException e) {
      if (!closed) {
        log.warn("Virtual reader connection failed [error={}]", e.toString());
      }
    } finally {
      closeQuietly();
    }
  }

  private void control(byte code, DataOutputStream out) throws IOException {
    switch (code) {
      case 0x00 -> onReset.run();
      case 0x01 -> poweredOn.countDown();
      case 0x02 -> {
        onReset.run();
        poweredOn.countDown();
      }
      case 0x04 -> {
        writeFrame(out, atr);
        poweredOn.countDown();
      }
      default -> log.warn("Unknown vpcd control code [code={}]", code & 0xFF);
    }
  }

  /** The card's answer to one command, or null when it left the field before answering. */
  private byte[] answer(byte[] commandBytes) {
    CommandApdu command;
    try {
      command = CommandApdu.parse(commandBytes);
    } catch (CodecException e) {
      return new byte[] {0x67, 0x00}; // wrong length: the APDU could not be parsed
    }
    try {
      ResponseApdu response = card.transmit(command);
      return response.encode();
    } catch (CardGoneException e) {
      pulled.set(true);
      return null;
    }
  }

  private static byte[] readFrame(DataInputStream in) throws IOException {
    int length = in.readUnsignedShort();
    if (length == 0 || length > FRAME_BYTES_MAX) {
      throw new IOException("vpcd frame of " + length + " bytes is outside 1.." + FRAME_BYTES_MAX);
    }
    byte[] frame = new byte[length];
    in.readFully(frame);
    return frame;
  }

  private static void writeFrame(DataOutputStream out, byte[] data) throws IOException {
    out.writeShort(data.length);
    out.write(data);
    out.flush();
  }

  private void closeQuietly() {
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("Closing the virtual reader connection failed [error={}]", e.toString());
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    closeQuietly();
    worker.join(CONNECT_TIMEOUT_MS);
  }
}
