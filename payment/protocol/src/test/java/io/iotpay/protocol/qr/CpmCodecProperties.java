package io.iotpay.protocol.qr;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.BerTlv;
import io.iotpay.foundation.codec.Tag;
import io.iotpay.foundation.codec.Tlv;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** Consumer-presented codec on generated valid codes, random bytes and text, and mutated codes. */
class CpmCodecProperties {
  @Property(tries = 500)
  void encodeThenDecode_isTheIdentity(@ForAll("validObjects") List<Tlv> objects) {
    ConsumerPresentedCode code = CpmCodec.encode(objects);
    assertThat(code.objects()).isEqualTo(objects);
    assertThat(CpmCodec.decode(code.text())).isEqualTo(code);
    assertThat(CpmCodec.encode(CpmCodec.decode(code.text()).objects()).text()).isEqualTo(code.text());
  }

  @Property(tries = 1000)
  void decode_onRandomBytes_decodesOrRefusesTyped(@ForAll @Size(max = 600) byte[] bytes) {
    decodeOrRefuse(Base64.getEncoder().encodeToString(bytes));
  }

  @Property(tries = 1000)
  void decode_onRandomText_decodesOrRefusesTyped(@ForAll @StringLength(max = 700) String text) {
    decodeOrRefuse(text);
  }

  @Property(tries = 1000)
  void decode_onMutatedBytes_decodesOrRefusesTyped(
      @ForAll("validObjects") List<Tlv> objects, @ForAll @IntRange(min = 0, max = 10_000) int where, @ForAll byte value) {
    byte[] bytes = BerTlv.encode(objects);
    bytes[where % bytes.length] = value;
    decodeOrRefuse(Base64.getEncoder().encodeToString(bytes));
  }

  @Property(tries = 500)
  void decode_onMutatedText_decodesOrRefusesTyped(
      @ForAll("validObjects") List<Tlv> objects, @ForAll @IntRange(min = 0, max = 10_000) int where, @ForAll char value) {
    String text = CpmCodec.encode(objects).text();
    int at = where % text.length();
    decodeOrRefuse(text.substring(0, at) + value + text.substring(at + 1));
  }

  private static void decodeOrRefuse(String text) {
    try {
      assertThat(CpmCodec.decode(text).text()).isEqualTo(text);
    } catch (QrException refused) {
      assertThat(refused.getMessage()).startsWith("qr: ").doesNotContain("\n");
    }
  }

  @Provide
  Arbitrary<List<Tlv>> validObjects() {
    Arbitrary<List<Tlv.Constructed>> applications = application().list().ofMinSize(1).ofMaxSize(3);
    return Combinators.combine(applications, common().injectNull(0.4))
        .as((apps, common) -> {
          List<Tlv> objects = new ArrayList<>();
          objects.add(Tlv.primitive(Tag.of(0x85), "CPV01".getBytes(StandardCharsets.US_ASCII)));
          objects.addAll(apps);
          if (common != null) {
            objects.add(common);
          }
          return objects;
        })
        .filter(objects -> BerTlv.encode(objects).length <= CpmCodec.PAYLOAD_BYTES_MAX);
  }

  private Arbitrary<Tlv.Constructed> application() {
    return Combinators.combine(
            bytes(5, 16), printable(16).injectNull(0.3), pan(), transparent(0x63).injectNull(0.3))
        .as((aid, label, pan, transparent) -> {
          List<Tlv> children = new ArrayList<>();
          children.add(Tlv.primitive(Tag.of(0x4F), aid));
          if (label != null) {
            children.add(Tlv.primitive(Tag.of(0x50), label.getBytes(StandardCharsets.US_ASCII)));
          }
          children.add(Tlv.primitive(Tag.of(0x5A), pan));
          if (transparent != null) {
            children.add(transparent);
          }
          return new Tlv.Constructed(Tag.of(0x61), children);
        });
  }

  private Arbitrary<Tlv.Constructed> common() {
    return Combinators.combine(printable(26).filter(s -> s.length() >= 2), Arbitraries.of("en", "zhen", "ruesdeen"), transparent(0x64))
        .as((name, language, transparent) -> new Tlv.Constructed(Tag.of(0x62), List.of(
            Tlv.primitive(Tag.of(0x5F20), name.getBytes(StandardCharsets.US_ASCII)),
            Tlv.primitive(Tag.of(0x5F2D), language.getBytes(StandardCharsets.US_ASCII)),
            transparent)));
  }

  private Arbitrary<Tlv.Constructed> transparent(int tag) {
    return Combinators.combine(bytes(8, 8), bytes(2, 2), bytes(4, 4), bytes(1, 32))
        .as((cryptogram, atc, unpredictable, iad) -> new Tlv.Constructed(Tag.of(tag), List.of(
            Tlv.primitive(Tag.of(0x9F26), cryptogram),
            Tlv.primitive(Tag.of(0x9F27), new byte[] {(byte) 0x80}),
            Tlv.primitive(Tag.of(0x9F36), atc),
            Tlv.primitive(Tag.of(0x9F37), unpredictable),
            Tlv.primitive(Tag.of(0x9F10), iad))));
  }

  /** 12..19 digits, BCD, F-padded to whole bytes. */
  private static Arbitrary<byte[]> pan() {
    return Arbitraries.strings().numeric().ofMinLength(12).ofMaxLength(19).map(digits -> {
      String padded = digits.length() % 2 == 0 ? digits : digits + "F";
      return io.iotpay.foundation.codec.Hex.decode(padded);
    });
  }

  private static Arbitrary<byte[]> bytes(int min, int max) {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max);
  }

  private static Arbitrary<String> printable(int maxLength) {
    return Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(maxLength);
  }
}
