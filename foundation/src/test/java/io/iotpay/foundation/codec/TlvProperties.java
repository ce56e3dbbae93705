package io.iotpay.foundation.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Round trips and fuzzing of the BER-TLV codec. */
class TlvProperties {
  private static final int TREE_DEPTH_MAX = 5;

  @Property(tries = 500)
  void parseOfEncode_isIdentity(@ForAll("trees") List<Tlv> roots) {
    byte[] encoded = BerTlv.encode(roots);
    assertThat(BerTlv.parse(encoded)).isEqualTo(roots);
  }

  @Property(tries = 500)
  void encodeOfParse_isIdentity_forMinimalUnpaddedEncodings(@ForAll("trees") List<Tlv> roots) {
    byte[] encoded = BerTlv.encode(roots);
    assertThat(BerTlv.encode(BerTlv.parse(encoded))).isEqualTo(encoded);
  }

  @Property(tries = 300)
  void encodedLength_matchesTheBytesWritten(@ForAll("trees") List<Tlv> roots) {
    int sum = roots.stream().mapToInt(Tlv::encodedLength).sum();
    assertThat(BerTlv.encode(roots)).hasSize(sum);
  }

  @Property(tries = 3000)
  void parse_ofRandomBytes_givesTreesOrTlvException(@ForAll @Size(max = 64) byte[] bytes) {
    parseOrTypedError(bytes);
  }

  @Property(tries = 3000)
  void parse_ofMutatedValidEncoding_givesTreesOrTlvException(
      @ForAll("trees") List<Tlv> roots,
      @ForAll @IntRange(min = 0, max = 10_000) int where,
      @ForAll byte replacement,
      @ForAll @IntRange(min = 0, max = 2) int mutation) {
    byte[] valid = BerTlv.encode(roots);
    if (valid.length == 0) {
      return;
    }
    int at = where % valid.length;
    byte[] mutated = switch (mutation) {
      case 0 -> replaced(valid, at, replacement);
      case 1 -> java.util.Arrays.copyOf(valid, at);
      default -> withInserted(valid, at, replacement);
    };
    parseOrTypedError(mutated);
  }

  private static void parseOrTypedError(byte[] bytes) {
    try {
      List<Tlv> roots = BerTlv.parse(bytes, TlvLimits.DEFAULT.withDepthMax(4));
      assertThat(roots).isNotNull();
    } catch (TlvException expected) {
      assertThat(expected.getMessage()).startsWith("tlv: ");
    }
  }

  private static byte[] replaced(byte[] bytes, int at, byte value) {
    byte[] copy = bytes.clone();
    copy[at] = value;
    return copy;
  }

  private static byte[] withInserted(byte[] bytes, int at, byte value) {
    byte[] out = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, out, 0, at);
    out[at] = value;
    System.arraycopy(bytes, at, out, at + 1, bytes.length - at);
    return out;
  }

  @Provide
  Arbitrary<List<Tlv>> trees() {
    return node(TREE_DEPTH_MAX).list().ofMaxSize(4);
  }

  private Arbitrary<Tlv> node(int depthLeft) {
    Arbitrary<Tlv> primitive = Combinators.combine(tags(false), Arbitraries.bytes().array(byte[].class).ofMaxSize(300))
        .as(Tlv::primitive);
    if (depthLeft <= 1) {
      return primitive;
    }
    Arbitrary<Tlv> constructed = Combinators.combine(tags(true), Arbitraries.lazy(() -> node(depthLeft - 1)).list().ofMaxSize(3))
        .as((tag, children) -> new Tlv.Constructed(tag, new ArrayList<>(children)));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, primitive),
        net.jqwik.api.Tuple.of(1, constructed));
  }

  /** Well-formed tags of 1..3 bytes whose b6 matches {@code constructed}. */
  static Arbitrary<Tag> tags(boolean constructed) {
    Arbitrary<Integer> classBits = Arbitraries.integers().between(0, 3).map(c -> c << 6);
    int kind = constructed ? 0x20 : 0x00;
    Arbitrary<Tag> oneByte = Combinators.combine(classBits, Arbitraries.integers().between(0, 0x1E))
        .filter((cls, number) -> cls != 0 || number != 0)
        .as((cls, number) -> Tag.of(cls | kind | number));
    Arbitrary<Tag> twoBytes = Combinators.combine(classBits, Arbitraries.integers().between(0x01, 0x7F))
        .as((cls, second) -> Tag.of(((cls | kind | 0x1F) << 8) | second));
    Arbitrary<Tag> threeBytes = Combinators.combine(classBits, Arbitraries.integers().between(0x81, 0xFF),
            Arbitraries.integers().between(0x00, 0x7F))
        .as((cls, second, third) -> Tag.of(((cls | kind | 0x1F) << 16) | (second << 8) | third));
    return Arbitraries.oneOf(oneByte, twoBytes, threeBytes);
  }
}
