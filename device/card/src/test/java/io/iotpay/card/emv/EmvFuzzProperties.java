package io.iotpay.card.emv;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.lang.reflect.Field;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random and mutated APDUs against a personalised card in the middle of a transaction (after
 * SELECT, GPO and an ARQC, so every command is reachable): the applet never throws (jCardSim
 * would answer 6F00), answers only status words of its table, and a command it refuses leaves its
 * whole state as it was. The documented exception that does change state is a wrong PIN (63Cx,
 * a try spent); a wrong ARPC in the second GENERATE AC is an accepted command (9000, AAC).
 */
class EmvFuzzProperties {

  private static final EmvIssuer ISSUER = new EmvIssuer(15);
  private static final String CDOL1 = "000000000100" + "000000000000" + "0156" + "0000000000" + "0156" + "261207"
      + "00" + "1A2B3C4D";
  private static final String PDOL_DATA = "36004000" + "000000000100" + "0156" + "0156" + "261207" + "00"
      + "1A2B3C4D";
  /** Valid commands of each kind, the seeds the mutations start from. */
  private static final List<String> SEEDS = List.of(
      "80A80000188316" + PDOL_DATA, "80AE80001D" + CDOL1, "80AE4000293030" + "00000000000000000000" + CDOL1, "00B2010C", "00B2030C",
      "80CA9F36", "80CA9F17", "0020008008241234FFFFFFFFFF", "008200000A01020304050607083030",
      "841E0000080102030405060708", "04DA9F1409050102030405060708", "84240000080102030405060708",
      "8424000218" + "00112233445566778899AABBCCDDEEFF" + "0102030405060708",
      "80E2800003920000");
  private static final Set<Integer> TABLE = statusWords();

  private static Set<Integer> statusWords() {
    Set<Integer> words = new HashSet<>();
    for (Field field : EmvSw.class.getFields()) {
      try {
        words.add(field.getShort(null) & 0xFFFF);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
    for (int tries = 0; tries <= 15; tries++) {
      words.add(0x63C0 | tries);
    }
    return words;
  }

  @Provide
  Arbitrary<byte[]> apdus() {
    Arbitrary<byte[]> random = Combinators.combine(
            Arbitraries.oneOf(Arbitraries.of(0x00, 0x80, 0x84, 0x04, 0x0C), Arbitraries.integers().between(0, 0xFE)),
            Arbitraries.oneOf(Arbitraries.of(0xA8, 0xAE, 0xB2, 0xCA, 0x20, 0x82, 0x1E, 0x18, 0x24, 0xDA, 0xE2),
                // A4 SELECT and 70 MANAGE CHANNEL leave the applet; B8 is jCardSim's own install command
                // (CLA 80), which no card has: the simulator, not the applet, would answer it.
                Arbitraries.integers().between(0, 0xFF).filter(ins -> ins != 0xA4 && ins != 0x70 && ins != 0xB8)),
            Arbitraries.integers().between(0, 0xFF),
            Arbitraries.integers().between(0, 0xFF),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(40))
        .as((cla, ins, p1, p2, data) -> new CommandApdu(cla, ins, p1, p2, data, 256).encode());
    Arbitrary<byte[]> mutated = Combinators.combine(Arbitraries.of(SEEDS),
            Arbitraries.integers().between(0, 2000), Arbitraries.integers().between(0, 3))
        .as(EmvFuzzProperties::mutate);
    return Arbitraries.oneOf(random, mutated);
  }

  /** Flips one bit, truncates the data or lengthens it, keeping Lc consistent so it parses. */
  private static byte[] mutate(String seed, int where, int how) {
    byte[] bytes = Hex.decode(seed);
    CommandApdu command = bytes.length == 4 ? CommandApdu.parse(bytes) : new CommandApdu(bytes[0] & 0xFF,
        bytes[1] & 0xFF, bytes[2] & 0xFF, bytes[3] & 0xFF, java.util.Arrays.copyOfRange(bytes, 5, bytes.length), 256);
    byte[] data = command.data();
    int[] header = {command.cla(), command.ins(), command.p1(), command.p2()};
    switch (how) {
      case 0 -> header[where % 4] ^= 1 << (where % 8);
      case 1 -> data = data.length == 0 ? new byte[] {(byte) where} : flip(data, where);
      case 2 -> data = java.util.Arrays.copyOf(data, data.length == 0 ? 0 : where % data.length);
      default -> data = java.util.Arrays.copyOf(data, data.length + 1 + where % 8);
    }
    if (header[0] == 0xFF) {
      header[0] = 0xFE;
    }
    if (header[1] == 0xA4 || header[1] == 0x70 || header[1] == 0xB8) {
      header[1] = 0xAE;
    }
    return new CommandApdu(header[0], header[1], header[2], header[3], data, 256).encode();
  }

  private static byte[] flip(byte[] data, int where) {
    byte[] out = data.clone();
    out[(where / 8) % out.length] ^= (byte) (1 << (where % 8));
    return out;
  }

  @Property(tries = 300)
  void randomApdus_neverThrow_andRefusedOnesChangeNothing(@ForAll AlgorithmSuite suite,
      @ForAll("apdus") byte[] first, @ForAll("apdus") byte[] second, @ForAll("apdus") byte[] third) {
    EmvCard card = EmvCard.personalised(suite, ISSUER, EmvCard.Limits.STANDARD, InspectableEmvApplet.class);
    card.selectApplication();
    assertThat(card.send("80A8000018 8316" + PDOL_DATA + "00").sw()).isEqualTo(0x9000);
    assertThat(card.send("80AE80001D" + CDOL1 + "00").sw()).isEqualTo(0x9000);
    for (byte[] apdu : new byte[][] {first, second, third}) {
      String before = InspectableEmvApplet.last.state();
      int sw = card.channel().transmit(CommandApdu.parse(apdu)).sw();
      assertThat(TABLE).as("SW %04X to %s is in the table", sw, Hex.encode(apdu)).contains(sw);
      boolean documentedChange = (sw & 0xFFF0) == 0x63C0;
      if (sw != 0x9000 && !documentedChange) {
        assertThat(InspectableEmvApplet.last.state()).as("refused %s (%04X)", Hex.encode(apdu), sw).isEqualTo(before);
      }
    }
  }

  /** Valid DGIs of each kind, the seeds the personalisation mutations start from. */
  @Provide
  Arbitrary<byte[]> storeDataCommands() {
    List<byte[]> dgis = List.of(EmvCard.dgi(0x0101, EmvCard.record1("6212345678901234")),
        EmvCard.dgi(0x0102, EmvCard.record2()), EmvCard.dgi(0x9200, EmvCard.parameters(EmvCard.Limits.STANDARD)));
    Arbitrary<byte[]> mutated = Combinators.combine(Arbitraries.of(dgis), Arbitraries.integers().between(0, 4000),
            Arbitraries.integers().between(0, 2), Arbitraries.of(0x00, 0x80, 0x01))
        .as((dgi, where, how, p1) -> {
          byte[] data = switch (how) {
            case 0 -> flip(dgi, where);
            case 1 -> java.util.Arrays.copyOf(dgi, where % dgi.length);
            default -> {
              byte[] cut = java.util.Arrays.copyOf(dgi, 3 + where % (dgi.length - 2));
              cut[2] = (byte) (cut.length - 3);
              yield cut;
            }
          };
          return new CommandApdu(0x80, 0xE2, p1, 0, data, 0).encode();
        });
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(60)
        .map(data -> new CommandApdu(0x80, 0xE2, 0x00, 0x00, data, 0).encode());
    return Arbitraries.oneOf(mutated, random);
  }

  @Property(tries = 200)
  void randomStoreData_neverThrows_andRefusedBlocksChangeNothing(@ForAll AlgorithmSuite suite,
      @ForAll("storeDataCommands") byte[] first, @ForAll("storeDataCommands") byte[] second) {
    EmvCard card = EmvCard.installedWith(suite, ISSUER, InspectableEmvApplet.class);
    card.selectApplication();
    for (byte[] apdu : new byte[][] {first, second}) {
      String before = InspectableEmvApplet.last.state();
      int sw = card.channel().transmit(CommandApdu.parse(apdu)).sw();
      assertThat(TABLE).as("SW %04X to %s is in the table", sw, Hex.encode(apdu)).contains(sw);
      if (sw != 0x9000) {
        assertThat(InspectableEmvApplet.last.state()).as("refused %s (%04X)", Hex.encode(apdu), sw).isEqualTo(before);
      }
    }
  }
}
