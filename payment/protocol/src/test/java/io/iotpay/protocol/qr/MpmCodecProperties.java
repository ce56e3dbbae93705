package io.iotpay.protocol.qr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/** Merchant-presented codec on generated valid codes, random text and mutated codes. */
class MpmCodecProperties {
  @Property(tries = 500)
  void encodeThenDecode_isTheIdentity(@ForAll("validObjects") List<MpmObject> objects) {
    MerchantPresentedCode code = MpmCodec.encode(objects);
    assertThat(code.objects()).isEqualTo(objects);
    MerchantPresentedCode decoded = MpmCodec.decode(code.payload());
    assertThat(decoded).isEqualTo(code);
    assertThat(MpmCodec.encode(decoded.objects()).payload()).isEqualTo(code.payload());
  }

  @Property(tries = 1000)
  void decode_onRandomText_decodesOrRefusesTyped(@ForAll @StringLength(max = 600) String text) {
    decodeOrRefuse(text);
  }

  @Property(tries = 1000)
  void decode_onDigitHeavyText_decodesOrRefusesTyped(@ForAll("digitHeavy") String text) {
    decodeOrRefuse(text);
  }

  @Property(tries = 600)
  void decode_onMutatedCodes_decodesOrRefusesTyped(
      @ForAll("validPayloads") String valid, @ForAll @IntRange(min = 0, max = 10_000) int where,
      @ForAll("mutationChars") char replacement, @ForAll @IntRange(min = 0, max = 2) int kind) {
    int at = where % valid.length();
    String mutated = switch (kind) {
      case 0 -> valid.substring(0, at) + replacement + valid.substring(at + 1);
      case 1 -> valid.substring(0, at) + valid.substring(at + 1);
      default -> valid.substring(0, at) + replacement + valid.substring(at);
    };
    decodeOrRefuse(mutated);
  }

  /** One ASCII character changed before the CRC value is a change of one byte: CRC-16 always detects it. */
  @Property(tries = 500)
  void decode_oneAsciiCharacterChanged_isRefused(
      @ForAll("validPayloads") String valid, @ForAll @IntRange(min = 0, max = 10_000) int where,
      @ForAll("mutationChars") char replacement) {
    int at = where % (valid.length() - 4);
    if (valid.charAt(at) == replacement || valid.charAt(at) > 0x7E) {
      return;
    }
    String mutated = valid.substring(0, at) + replacement + valid.substring(at + 1);
    assertThatThrownBy(() -> MpmCodec.decode(mutated)).isInstanceOf(QrException.class);
  }

  private static void decodeOrRefuse(String text) {
    try {
      MerchantPresentedCode code = MpmCodec.decode(text);
      assertThat(code.payload()).isEqualTo(text);
    } catch (QrException refused) {
      assertThat(refused.getMessage()).startsWith("qr: ").doesNotContain("\n");
      assertThat(refused.error()).isNotNull();
    }
  }

  @Provide
  Arbitrary<String> digitHeavy() {
    return Arbitraries.strings().withChars("0123456789000000063046201ABC.").ofMaxLength(520)
        .map(s -> "000201" + s);
  }

  @Provide
  Arbitrary<Character> mutationChars() {
    return Arbitraries.chars().with("0123456789ABCDEFabz .*-".toCharArray());
  }

  @Provide
  Arbitrary<String> validPayloads() {
    return validObjects().map(objects -> MpmCodec.encode(objects).payload());
  }

  @Provide
  Arbitrary<List<MpmObject>> validObjects() {
    return Combinators.combine(
            Arbitraries.of("11", "12").injectNull(0.3),
            accounts(),
            Arbitraries.strings().numeric().ofLength(4),
            Arbitraries.of("156", "840", "978", "392", "344", "826"),
            Arbitraries.integers().between(0, 3),
            Arbitraries.of("CN", "US", "DE", "JP", "HK", "GB", "SG"),
            ansText(25), ansText(15))
        .as((initiation, accounts, mcc, currency, tip, country, name, city) -> {
          List<MpmObject> objects = new ArrayList<>();
          objects.add(new MpmObject.Primitive("00", "01"));
          if (initiation != null) {
            objects.add(new MpmObject.Primitive("01", initiation));
          }
          objects.addAll(accounts);
          objects.add(new MpmObject.Primitive("52", mcc));
          objects.add(new MpmObject.Primitive("53", currency));
          String decimals = currency.equals("392") ? "" : ".05";
          objects.add(new MpmObject.Primitive("54", "1" + mcc + decimals));
          addTip(objects, tip, decimals);
          objects.add(new MpmObject.Primitive("58", country));
          objects.add(new MpmObject.Primitive("59", name));
          objects.add(new MpmObject.Primitive("60", city));
          return objects;
        })
        .flatMap(base -> extras().map(extra -> {
          List<MpmObject> all = new ArrayList<>(base);
          all.addAll(extra);
          return all;
        }))
        .filter(objects -> payloadChars(objects) + 8 <= MpmCodec.PAYLOAD_CHARS_MAX);
  }

  private static void addTip(List<MpmObject> objects, int tip, String decimals) {
    if (tip == 0) {
      return;
    }
    objects.add(new MpmObject.Primitive("55", "0" + tip));
    if (tip == 2) {
      objects.add(new MpmObject.Primitive("56", "2" + decimals));
    } else if (tip == 3) {
      objects.add(new MpmObject.Primitive("57", "9.5"));
    }
  }

  private Arbitrary<List<MpmObject>> accounts() {
    Arbitrary<MpmObject> reserved = Combinators.combine(Arbitraries.integers().between(2, 25), ansText(20))
        .as((id, value) -> new MpmObject.Primitive(twoDigits(id), value));
    Arbitrary<MpmObject> template = Combinators.combine(Arbitraries.integers().between(26, 51), accountChildren())
        .as((id, children) -> new MpmObject.Template(twoDigits(id), children));
    return Arbitraries.oneOf(reserved, template).list().ofMinSize(1).ofMaxSize(3)
        .uniqueElements(MpmObject::id);
  }

  private Arbitrary<List<MpmObject>> accountChildren() {
    Arbitrary<MpmObject> guid = ansText(32).map(v -> new MpmObject.Primitive("00", v));
    Arbitrary<List<MpmObject>> others = Combinators.combine(Arbitraries.integers().between(1, 99), anyText(20))
        .as((id, value) -> (MpmObject) new MpmObject.Primitive(twoDigits(id), value))
        .list().ofMaxSize(3).uniqueElements(MpmObject::id);
    return Combinators.combine(guid, others).as((g, rest) -> {
      List<MpmObject> children = new ArrayList<>();
      children.add(g);
      children.addAll(rest);
      return children;
    }).filter(children -> payloadChars(children) <= MpmTags.VALUE_CHARS_MAX);
  }

  /** Optional 61, 62, 64 and one unreserved template. */
  private Arbitrary<List<MpmObject>> extras() {
    Arbitrary<MpmObject> postal = ansText(10).map(v -> new MpmObject.Primitive("61", v));
    Arbitrary<MpmObject> additional = Combinators.combine(Arbitraries.integers().between(0, 11), ansText(20))
        .as((id, value) -> (MpmObject) new MpmObject.Primitive(twoDigits(id), id == 9 ? "AM" : id == 11 ? "APP" : value))
        .list().ofMinSize(1).ofMaxSize(3).uniqueElements(MpmObject::id)
        .map(children -> new MpmObject.Template("62", children));
    Arbitrary<MpmObject> language = Combinators.combine(Arbitraries.of("ZH", "fr", "de"), anyText(25), anyText(15))
        .as((lang, name, city) -> new MpmObject.Template("64", List.of(
            new MpmObject.Primitive("00", lang), new MpmObject.Primitive("01", name), new MpmObject.Primitive("02", city))));
    Arbitrary<MpmObject> unreserved = Combinators.combine(Arbitraries.integers().between(80, 99), accountChildren())
        .as((id, children) -> new MpmObject.Template(twoDigits(id), children));
    return Combinators.combine(postal.injectNull(0.5), additional.injectNull(0.5), language.injectNull(0.5), unreserved.injectNull(0.5))
        .as((a, b, c, d) -> {
          List<MpmObject> extra = new ArrayList<>();
          for (MpmObject object : java.util.Arrays.asList(a, b, c, d)) {
            if (object != null) {
              extra.add(object);
            }
          }
          return extra;
        });
  }

  private static Arbitrary<String> ansText(int maxLength) {
    return Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(maxLength);
  }

  /** Printable ASCII and CJK, the alternate-language case: lengths count characters, not bytes. */
  private static Arbitrary<String> anyText(int maxLength) {
    return Arbitraries.strings().withCharRange(' ', '~').withCharRange('一', '龥').withChars("éü€")
        .ofMinLength(1).ofMaxLength(maxLength);
  }

  private static int payloadChars(List<MpmObject> objects) {
    int total = 0;
    for (MpmObject object : objects) {
      total += 4 + switch (object) {
        case MpmObject.Primitive primitive -> primitive.value().codePointCount(0, primitive.value().length());
        case MpmObject.Template template -> payloadChars(template.children());
      };
    }
    return total;
  }

  private static String twoDigits(int id) {
    return id < 10 ? "0" + id : Integer.toString(id);
  }
}
