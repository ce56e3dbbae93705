package io.iotpay.protocol.iso8583;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The codec on hostile bytes: random bytes, random bytes behind a real MTI and bitmap, and valid
 * messages (MACed under both suites) with bytes flipped, inserted, deleted or cut. Each either
 * reads as a message or is refused with {@link Iso8583Exception}; nothing else may escape.
 */
class Iso8583FuzzProperties {
  private static final Iso8583Wire WIRE = Iso8583Wire.load();
  private static final List<byte[]> VALID = validMessages();

  private static List<byte[]> validMessages() {
    java.util.ArrayList<byte[]> all = new java.util.ArrayList<>();
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      for (Iso8583Message message : Iso8583CodecTest.everyType(suite)) {
        all.add(WIRE.write(message));
        all.add(WIRE.write(message, suite, Samples.zoneKeys(suite).current()));
      }
    }
    return List.copyOf(all);
  }

  @Property(tries = 2000)
  void randomBytes_readOrRefuseTyped(@ForAll @Size(max = 600) byte[] bytes) {
    readsOrRefusesTyped(bytes);
  }

  @Property(tries = 2000)
  void randomFieldsBehindARealHead_readOrRefuseTyped(
      @ForAll("mtis") Mti mti, @ForAll @Size(16) byte[] bitmap, @ForAll("fieldText") String fields) {
    byte[] head = mti.code().getBytes(StandardCharsets.US_ASCII);
    byte[] body = fields.getBytes(StandardCharsets.ISO_8859_1);
    byte[] message = new byte[4 + 16 + body.length];
    System.arraycopy(head, 0, message, 0, 4);
    System.arraycopy(bitmap, 0, message, 4, 16);
    System.arraycopy(body, 0, message, 20, body.length);
    readsOrRefusesTyped(message);
  }

  @Property(tries = 3000)
  void mutatedValidMessages_readOrRefuseTyped_andMacsCatchWhatParses(
      @ForAll @IntRange(min = 0, max = 1000) int which, @ForAll("mutations") List<int[]> mutations) {
    byte[] bytes = VALID.get(which % VALID.size()).clone();
    for (int[] mutation : mutations) {
      bytes = apply(bytes, mutation);
    }
    readsOrRefusesTyped(bytes);
  }

  private static void readsOrRefusesTyped(byte[] bytes) {
    try {
      Iso8583Wire.Received received = WIRE.read(bytes);
      assertThat(received.message()).isNotNull();
      Statistics.collect("read");
      if (received.mac() != null) {
        for (AlgorithmSuite suite : AlgorithmSuite.values()) {
          try {
            Iso8583Wire.verify(received, suite, List.of(Samples.zoneKeys(suite).current()));
          } catch (Iso8583Exception e) {
            assertThat(e.reason()).isEqualTo(Iso8583Exception.Reason.MAC_INVALID);
          }
        }
      }
    } catch (Iso8583Exception e) {
      Statistics.collect(e.reason());
      assertThat(e.getMessage()).startsWith(e.reason().name());
    }
  }

  /** {kind, position, value}: 0 flip a byte, 1 insert, 2 delete, 3 cut the tail. */
  private static byte[] apply(byte[] bytes, int[] mutation) {
    if (bytes.length == 0) {
      return bytes;
    }
    int at = mutation[1] % bytes.length;
    return switch (mutation[0]) {
      case 0 -> {
        bytes[at] ^= (byte) (mutation[2] | 1);
        yield bytes;
      }
      case 1 -> {
        byte[] longer = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, longer, 0, at);
        longer[at] = (byte) mutation[2];
        System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
        yield longer;
      }
      case 2 -> {
        byte[] shorter = new byte[bytes.length - 1];
        System.arraycopy(bytes, 0, shorter, 0, at);
        System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
        yield shorter;
      }
      default -> java.util.Arrays.copyOf(bytes, at);
    };
  }

  @Provide
  Arbitrary<Mti> mtis() {
    return Arbitraries.of(Mti.class);
  }

  @Provide
  Arbitrary<String> fieldText() {
    // Mostly digits and hex letters, so lengths and numeric fields parse often enough to go deep.
    return Arbitraries.strings().withChars("0123456789ABCDEF ").withCharRange((char) 0, (char) 255).ofMaxLength(400);
  }

  @Provide
  Arbitrary<List<int[]>> mutations() {
    Arbitrary<int[]> one = Combinators.combine(
            Arbitraries.integers().between(0, 3),
            Arbitraries.integers().between(0, 4000),
            Arbitraries.integers().between(0, 255))
        .as((kind, position, value) -> new int[] {kind, position, value});
    return one.list().ofMinSize(1).ofMaxSize(4);
  }
}
