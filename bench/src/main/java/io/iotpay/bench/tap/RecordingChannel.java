package io.iotpay.bench.tap;

import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Passes every exchange to the card and records it: the command's name, bytes each way, and the
 * thread CPU and wall time spent inside the card (jCardSim runs in the caller's thread), so the
 * kernel's own time is the tap's time minus this.
 */
final class RecordingChannel implements CardChannel {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** One exchange. */
  record Exchange(String name, int bytesToCard, int bytesFromCard) {}

  private final CardChannel inner;
  final List<Exchange> exchanges = new ArrayList<>(12);
  long cardCpuNanos;
  long cardWallNanos;

  RecordingChannel(CardChannel inner) {
    this.inner = inner;
  }

  @Override
  public ResponseApdu transmit(CommandApdu command) {
    long cpu = THREADS.getCurrentThreadCpuTime();
    long wall = System.nanoTime();
    ResponseApdu response = inner.transmit(command);
    cardWallNanos += System.nanoTime() - wall;
    cardCpuNanos += THREADS.getCurrentThreadCpuTime() - cpu;
    exchanges.add(new Exchange(name(command), command.encode().length, response.data().length + 2));
    return response;
  }

  static long threadCpuNanos() {
    return THREADS.getCurrentThreadCpuTime();
  }

  private static String name(CommandApdu c) {
    return switch (c.ins()) {
      case 0xA4 -> "SELECT";
      case 0xB4 -> "READ CAPP DATA";
      case 0xA8 -> "GPO";
      case 0xB2 -> "READ RECORD";
      case 0x5A -> "GET TRANS PROVE";
      case 0xDE -> "UPDATE CAPP DATA CACHE";
      case 0xAE -> "GENERATE AC";
      case 0x88 -> "INTERNAL AUTHENTICATE";
      default -> String.format("INS %02X", c.ins());
    };
  }
}
