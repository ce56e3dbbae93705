package io.iotpay.platform.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzzing the platform side of the envelope: random bytes, random bytes behind a COSE_Sign1 head,
 * and valid envelopes of both suites mutated (bit flip, truncation, insertion, deletion) must
 * only ever end in an {@link EnvelopeException} and never reach the business handler.
 */
class EnvelopeFuzzProperties {
  private static EnvelopeFixture platform;
  private static Path tempDir;
  private static final Map<AlgorithmSuite, byte[][]> VALID = new EnumMap<>(AlgorithmSuite.class);
  private static final AtomicInteger HANDLED = new AtomicInteger();

  enum Mutation { FLIP, TRUNCATE, INSERT, DELETE }

  private static synchronized EnvelopeFixture platform() {
    if (platform == null) {
      try {
        tempDir = Files.createTempDirectory("envelope-fuzz");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      platform = new EnvelopeFixture(Database.Dialect.SQLITE, tempDir);
      for (AlgorithmSuite suite : AlgorithmSuite.values()) {
        EnvelopeFixture.Device device = platform.enrol(suite, "fuzz-" + suite.name().toLowerCase(java.util.Locale.ROOT));
        // Sealed once and never sent unmodified, so the device's counter stays unused.
        VALID.put(suite, new byte[][] {
            device.client().seal("order 1 bottle".getBytes(StandardCharsets.UTF_8), false).bytes(),
            device.client().seal("pay 1299".getBytes(StandardCharsets.UTF_8), true).bytes()});
      }
    }
    return platform;
  }

  @AfterContainer
  static void close() throws IOException {
    if (platform != null) {
      platform.close();
      try (var files = Files.list(tempDir)) {
        for (Path file : files.toList()) {
          Files.deleteIfExists(file);
        }
      }
      Files.deleteIfExists(tempDir);
    }
  }

  private static void assertRefused(byte[] envelope) {
    assertThatThrownBy(() -> platform().service.handle(envelope, message -> {
      HANDLED.incrementAndGet();
      return new AnswerPayload(new byte[0], false);
    })).isInstanceOf(EnvelopeException.class);
    assertThat(HANDLED.get()).isZero();
  }

  @Property(tries = 300)
  void randomBytes_areRefusedWithATypedException(@ForAll @Size(max = 400) byte[] bytes) {
    assertRefused(bytes);
  }

  @Property(tries = 300)
  void randomBytesBehindASign1Head_areRefusedWithATypedException(@ForAll @Size(max = 400) byte[] bytes) {
    byte[] envelope = new byte[bytes.length + 2];
    envelope[0] = (byte) 0xD2; // tag 18
    envelope[1] = (byte) 0x84; // array of 4
    System.arraycopy(bytes, 0, envelope, 2, bytes.length);
    assertRefused(envelope);
  }

  @Property(tries = 400)
  void mutatedValidEnvelopes_areRefusedWithATypedException(
      @ForAll AlgorithmSuite suite,
      @ForAll boolean encrypted,
      @ForAll Mutation mutation,
      @ForAll @IntRange(min = 0, max = 100_000) int where,
      @ForAll @IntRange(min = 1, max = 255) int value) {
    platform();
    byte[] valid = VALID.get(suite)[encrypted ? 1 : 0];
    int position = where % valid.length;
    byte[] mutated = switch (mutation) {
      case FLIP -> {
        byte[] copy = valid.clone();
        copy[position] ^= (byte) value;
        yield copy;
      }
      case TRUNCATE -> Arrays.copyOf(valid, position);
      case INSERT -> {
        byte[] copy = new byte[valid.length + 1];
        System.arraycopy(valid, 0, copy, 0, position);
        copy[position] = (byte) value;
        System.arraycopy(valid, position, copy, position + 1, valid.length - position);
        yield copy;
      }
      case DELETE -> {
        byte[] copy = new byte[valid.length - 1];
        System.arraycopy(valid, 0, copy, 0, position);
        System.arraycopy(valid, position + 1, copy, position, valid.length - position - 1);
        yield copy;
      }
    };
    assertRefused(mutated);
  }
}
