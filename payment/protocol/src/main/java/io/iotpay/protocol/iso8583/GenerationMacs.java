package io.iotpay.protocol.iso8583;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.MacAlgorithm;
import io.iotpay.foundation.crypto.MacPadding;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The field 128 MAC functions of one ZAK generation of a link, kept for reuse: each message then
 * costs its cipher blocks, not also two fresh engines and their key schedules (docs/bench-auth.md
 * §3.4). Only the INTERNATIONAL retail MAC is kept, because its DES key schedules can be wiped; the
 * NATIONAL SM4 MAC is made per message ({@link MessageMac}). That was because BouncyCastle's SM4 engine
 * kept its round keys where they cannot be overwritten; the suite's SM4 engine is now
 * {@code FastSm4Engine}, which can be wiped, but the NATIONAL MAC has not been moved here yet.
 *
 * <p>At most {@link #IDLE_MAX} functions wait for reuse (one per thread computing at once is all that
 * is ever needed). {@link #retire} wipes them when the generation leaves the link, and a function in
 * use at that moment is wiped when it is handed back. Thread-safe.
 */
final class GenerationMacs {
  /** Idle functions kept at most per generation. */
  static final int IDLE_MAX = 16;

  private final AlgorithmSuite suite;
  private final ZoneKeys.Generation generation;
  private final ConcurrentLinkedQueue<MacAlgorithm.MacFunction> idle = new ConcurrentLinkedQueue<>();
  private final AtomicInteger idleCount = new AtomicInteger();
  private volatile boolean retired;

  GenerationMacs(AlgorithmSuite suite, ZoneKeys.Generation generation) {
    this.suite = suite;
    this.generation = generation;
  }

  ZoneKeys.Generation generation() {
    return generation;
  }

  /** The 8-byte MAC of {@code input} under this generation's ZAK, as {@link MessageMac#compute} gives it. */
  byte[] compute(byte[] input) {
    if (suite != AlgorithmSuite.INTERNATIONAL || retired) {
      return MessageMac.compute(suite, generation.zak(), input);
    }
    MacAlgorithm.MacFunction function = idle.poll();
    if (function == null) {
      function = MacAlgorithm.ISO9797_1_M3.newFunction(generation.zak(), MacPadding.METHOD_2);
    } else {
      idleCount.decrementAndGet();
    }
    byte[] mac = function.mac(input);
    handBack(function);
    return mac;
  }

  /** Wipes every idle function; later calls compute per message. */
  void retire() {
    retired = true;
    wipeIdle();
  }

  private void handBack(MacAlgorithm.MacFunction function) {
    if (idleCount.incrementAndGet() > IDLE_MAX) {
      idleCount.decrementAndGet();
      function.wipe();
      return;
    }
    idle.offer(function);
    if (retired) {
      wipeIdle(); // retired while this one was in use
    }
  }

  private void wipeIdle() {
    MacAlgorithm.MacFunction function;
    while ((function = idle.poll()) != null) {
      idleCount.decrementAndGet();
      function.wipe();
    }
  }
}
