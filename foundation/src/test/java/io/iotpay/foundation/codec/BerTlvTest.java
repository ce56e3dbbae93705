package io.iotpay.foundation.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BerTlvTest {
  /**
   * A contactless PPSE SELECT response (without SW 9000) published as a worked example in
   * github.com/javisHuang/Learn, emv/Initiate_Application.md, decoded there with
   * emvlab.org/tlvutils. Structure per EMV Contactless Book B §3.3 (FCI of the PPSE): 6F { 84 DF
   * name "2PAY.SYS.DDF01", A5 { BF0C { 61 { 4F AID, 50 label, 87 priority } } } }.
   */
  private static final String PPSE_FCI =
      "6F2F840E325041592E5359532E4444463031A51DBF0C1A61184F07A0000000031010500A56495341204445424954870101";

  /**
   * The application SELECT response from the same published example: FCI with a PDOL asking for
   * 9F1A (2 bytes) and 5F2A (2 bytes), per EMV Book 1 §11.3.4 Table 45.
   */
  private static final String ADF_FCI =
      "6F378407A1234567891010A52C5004564953418701029F38069F1A025F2A025F2D046E6F656E9F1101019F120C5649534120436C6173736963";

  private static Tag tag(int value) {
    return Tag.of(value);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void parse_publishedPpseResponse_givesTheDocumentedTree() {
    List<Tlv> roots = BerTlv.parse(Hex.decode(PPSE_FCI));

    assertThat(roots).hasSize(1);
    Tlv.Constructed fci = (Tlv.Constructed) roots.get(0);
    assertThat(fci.tag()).isEqualTo(tag(0x6F));
    assertThat(fci.children()).extracting(Tlv::tag).containsExactly(tag(0x84), tag(0xA5));
    assertThat(((Tlv.Primitive) fci.find(tag(0x84)).orElseThrow()).value()).isEqualTo(ascii("2PAY.SYS.DDF01"));
    Tlv.Constructed application = (Tlv.Constructed) fci.find(tag(0x61)).orElseThrow();
    assertThat(application.children()).containsExactly(
        Tlv.primitive(tag(0x4F), Hex.decode("A0000000031010")),
        Tlv.primitive(tag(0x50), ascii("VISA DEBIT")),
        Tlv.primitive(tag(0x87), new byte[] {0x01}));
  }

  @Test
  void parse_publishedAdfResponse_findsPdolAndTwoByteTags() {
    Tlv fci = BerTlv.parseSingle(Hex.decode(ADF_FCI));

    Tlv.Primitive pdol = (Tlv.Primitive) fci.find(EmvTags.PDOL).orElseThrow();
    assertThat(pdol.valueHex()).isEqualTo("9F1A025F2A02");
    assertThat(((Tlv.Primitive) fci.find(tag(0x9F12)).orElseThrow()).value()).isEqualTo(ascii("VISA Classic"));
    assertThat(((Tlv.Primitive) fci.find(tag(0x5F2D)).orElseThrow()).value()).isEqualTo(ascii("noen"));
    assertThat(fci.find(tag(0xA5)).orElseThrow().valueLength()).isEqualTo(0x2C);
  }

  @Test
  void encode_ofParsedPublishedResponses_givesTheSameBytes() {
    for (String hex : List.of(PPSE_FCI, ADF_FCI)) {
      assertThat(Hex.encode(BerTlv.encode(BerTlv.parse(Hex.decode(hex))))).isEqualTo(hex);
    }
  }

  @Test
  void parse_sequenceOfTopLevelObjects_keepsOrder() {
    List<Tlv> roots = BerTlv.parse(Hex.decode("9F3602001A9F2701809F260811223344556677889F1000"));
    assertThat(roots).extracting(Tlv::tag).containsExactly(tag(0x9F36), tag(0x9F27), tag(0x9F26), tag(0x9F10));
    assertThat(((Tlv.Primitive) roots.get(0)).valueHex()).isEqualTo("001A");
    assertThat(roots.get(3).valueLength()).isZero();
  }

  @Test
  void parse_zeroPaddingBeforeBetweenAfterAndInsideTemplates_isSkipped() {
    // EMV Book 3 Annex B: '00' bytes may occur before, between or after TLV objects.
    List<Tlv> roots = BerTlv.parse(Hex.decode("0000" + "70080000" + "5A02123400" + "00" + "9F360100" + "00"));
    assertThat(roots).containsExactly(
        Tlv.constructed(tag(0x70), Tlv.primitive(tag(0x5A), Hex.decode("1234"))),
        Tlv.primitive(tag(0x9F36), new byte[] {0}));
  }

  @Test
  void parse_onlyPaddingOrEmpty_givesNoObjects() {
    assertThat(BerTlv.parse(new byte[0])).isEmpty();
    assertThat(BerTlv.parse(new byte[5])).isEmpty();
  }

  @ParameterizedTest(name = "{0} bytes -> length field {1}")
  @CsvSource({"0,00", "127,7F", "128,8180", "255,81FF", "256,820100", "65535,82FFFF", "65536,83010000"})
  void encode_usesMinimalLengthField_andParsesBack(int length, String lengthField) {
    byte[] value = new byte[length];
    Arrays.fill(value, (byte) 0xA5);
    Tlv tlv = Tlv.primitive(tag(0xC1), value);
    byte[] encoded = tlv.encode();

    assertThat(Hex.encode(encoded, 1, lengthField.length() / 2)).isEqualTo(lengthField);
    assertThat(encoded).hasSize(1 + lengthField.length() / 2 + length);
    TlvLimits roomy = TlvLimits.DEFAULT.withValueBytesMax(70_000);
    assertThat(BerTlv.parse(encoded, roomy)).containsExactly(tlv);
  }

  @Test
  void parse_nonMinimalLongFormLength_isAccepted() {
    // BER allows 81 05 where 05 would do; EMV cards send it, so the parser accepts it.
    assertThat(BerTlv.parse(Hex.decode("5A81051234567890"))).containsExactly(
        Tlv.primitive(tag(0x5A), Hex.decode("1234567890")));
    assertThat(BerTlv.parse(Hex.decode("5A8300000100"))).containsExactly(
        Tlv.primitive(tag(0x5A), Hex.decode("00")));
  }

  @Test
  void parse_indefiniteLength_isRejectedNamingOffsetAndTag() {
    assertThatThrownBy(() -> BerTlv.parse(Hex.decode("70800000")))
        .isInstanceOf(TlvException.class)
        .hasMessageContaining("indefinite length 80 of tag 70")
        .hasMessageContaining("at offset 1");
  }

  @Test
  void parse_lengthOfFourOrMoreBytes_isRejected() {
    assertThatThrownBy(() -> BerTlv.parse(Hex.decode("9F028400000006000000000100")))
        .isInstanceOf(TlvException.class)
        .hasMessageContaining("length byte 84 of tag 9F02 announces 4 length bytes")
        .hasMessageContaining("at offset 2");
  }

  @Test
  void parse_truncatedTag_namesOffsetAndEnclosingTemplate() {
    assertThatThrownBy(() -> BerTlv.parse(Hex.decode("9F")))
        .isInstanceOf(TlvException.class)
        .hasMessageContaining("truncated tag 9F (end of input) at offset 0");
    assertThatThrownBy(() -> BerTlv.parse(Hex.decode("7004" + "5A0101" + "9F")))
        .isInstanceOf(TlvException.class)
        .hasMessageContaining("truncated tag 9F (inside template 70 at offset 0) at offset 5");
  }

  @Test
  void parse_truncatedLength_namesTheTag() {
    assertThatThrownBy(() -> BerTlv.parse(Hex.decode("9F36")))
        .isInstanceOf(TlvException.class)
        .hasMessageContaining("truncated length of tag 9F36")
        .hasMessageContaining("at offset 2");
    assertThatThrownBy(() -> BerTlv.parse(Hex.decode("9F3682")))
        .isInstanceOf(TlvException.class)
        .hasMessageContaining("truncated length of tag 9F36: 2 length bytes announced, 0 remain");
  }

  @Test
  void parse_valueBeyondBuffer_namesTagAndOffset() {
    assertThatThrownBy(() -> BerTlv.parse(Hex.decode("5A0412345678" + "9F360501")))
        .isInstanceOf(TlvException.class)
        .hasMessageContaining("value of tag 9F36 needs 5 bytes but only 1 remain")
        .hasMessageContaining("at offset 6");
  }

  @Test
  void parse_childRunningPastItsTemplate_isRejected() {
    // 70 says 3 value bytes but its child 5A claims 4; the outer buffer has enough bytes.
    assertThatThrownBy(() -> BerTlv.parse(Hex.decode("7003" + "5A0412345678")))
        .isInstanceOf(TlvException.class)
        .hasMessageContaining("value of tag 5A needs 4 bytes but only 1 remain (inside template 70 at offset 0)");
  }

  @Test
  void parse_depthAtTheBound_isAccepted_andOneDeeper_isRejected() {
    byte[] sixteen = nested(16);
    assertThat(BerTlv.parse(sixteen)).hasSize(1);
    assertThatThrownBy(() -> BerTlv.parse(nested(17)))
        .isInstanceOf(TlvException.class)
        .hasMessageContaining("constructed tag 70 nests deeper than depthMax 16 at offset 32");
    assertThat(BerTlv.parse(nested(17), TlvLimits.DEFAULT.withDepthMax(17))).hasSize(1);
  }

  @Test
  void parse_hugeDepthInput_failsOnTheBoundWithoutStackOverflow() {
    // 100 000 nested empty-ish templates would overflow a recursive parser's stack.
    byte[] deep = new byte[200_000];
    for (int i = 0; i < deep.length; i += 2) {
      deep[i] = 0x70;
      deep[i + 1] = 0x00;
    }
    for (int i = 0; i < deep.length - 2; i += 2) {
      deep[i + 1] = (byte) 0x7F; // claims more than it has: still refused on depth first
    }
    assertThatThrownBy(() -> BerTlv.parse(deep)).isInstanceOf(TlvException.class);
  }

  @Test
  void parse_valueAboveValueBytesMax_isRejected() {
    TlvLimits small = TlvLimits.DEFAULT.withValueBytesMax(4);
    assertThat(BerTlv.parse(Hex.decode("5A0412345678"), small)).hasSize(1);
    assertThatThrownBy(() -> BerTlv.parse(Hex.decode("5A051234567890"), small))
        .isInstanceOf(TlvException.class)
        .hasMessageContaining("length 5 of tag 5A is above valueBytesMax 4 at offset 1");
  }

  @Test
  void parse_tagLongerThanTagBytesMax_isRejected() {
    assertThat(BerTlv.parse(Hex.decode("DF810101AA"))).hasSize(1);
    assertThatThrownBy(() -> BerTlv.parse(Hex.decode("DF81810101AA")))
        .isInstanceOf(TlvException.class)
        .hasMessageContaining("tag DF8181... is longer than tagBytesMax 3");
    assertThatThrownBy(() -> BerTlv.parse(Hex.decode("DF810101AA"), TlvLimits.DEFAULT.withTagBytesMax(2)))
        .isInstanceOf(TlvException.class)
        .hasMessageContaining("tag DF81... is longer than tagBytesMax 2");
  }

  @Test
  void parse_tagWithZeroFirstSubsequentByte_isRejected() {
    // ISO/IEC 8825-1 §8.1.2.4.2 c: b7..b1 of the first subsequent octet shall not all be zero.
    assertThatThrownBy(() -> BerTlv.parse(Hex.decode("9F8001AA")))
        .isInstanceOf(TlvException.class)
        .hasMessageContaining("tag 9F80 has a first subsequent byte with b7..b1 zero");
  }

  @Test
  void findAll_walksDepthFirstPreOrder() {
    Tlv tree = TlvBuilder.template(tag(0x70))
        .addHex(tag(0x5A), "01")
        .add(TlvBuilder.template(tag(0x77)).addHex(tag(0x5A), "02").build())
        .addHex(tag(0x5A), "03")
        .build();
    assertThat(tree.findAll(tag(0x5A))).extracting(t -> ((Tlv.Primitive) t).valueHex())
        .containsExactly("01", "02", "03");
    assertThat(tree.find(tag(0x77))).isPresent();
    assertThat(tree.find(tag(0x9F36))).isEmpty();
    assertThat(Tlv.findIn(List.of(tree), tag(0x70))).contains(tree);
  }

  @Test
  void builder_encodesNestedTemplate_asExpectedBytes() {
    byte[] encoded = TlvBuilder.template(tag(0x6F))
        .add(tag(0x84), ascii("2PAY.SYS.DDF01"))
        .add(TlvBuilder.template(tag(0xA5))
            .add(TlvBuilder.template(tag(0xBF0C))
                .add(TlvBuilder.template(tag(0x61))
                    .addHex(tag(0x4F), "A0000000031010")
                    .add(tag(0x50), ascii("VISA DEBIT"))
                    .addHex(tag(0x87), "01")
                    .build())
                .build())
            .build())
        .encode();
    assertThat(Hex.encode(encoded)).isEqualTo(PPSE_FCI);
  }

  @Test
  void builder_sequence_encodesItemsBackToBack() {
    byte[] encoded = TlvBuilder.sequence().addHex(tag(0x9F36), "0001").addHex(tag(0x9F27), "80").encode();
    assertThat(Hex.encode(encoded)).isEqualTo("9F360200019F270180");
  }

  @Test
  void constructors_refuseAMismatchBetweenTagKindAndContent() {
    assertThatThrownBy(() -> Tlv.primitive(tag(0x70), new byte[1]))
        .isInstanceOf(TlvException.class).hasMessageContaining("tag 70 is constructed");
    assertThatThrownBy(() -> Tlv.constructed(tag(0x5A)))
        .isInstanceOf(TlvException.class).hasMessageContaining("tag 5A is primitive");
    assertThatThrownBy(() -> TlvBuilder.template(tag(0x9F02)))
        .isInstanceOf(TlvException.class).hasMessageContaining("cannot be a template");
  }

  @Test
  void constructed_withAWrongValueLength_isRefused() {
    List<Tlv> children = List.of(Tlv.primitive(tag(0x5A), new byte[2]));
    assertThat(new Tlv.Constructed(tag(0x70), children).valueLength()).isEqualTo(4);
    assertThatThrownBy(() -> new Tlv.Constructed(tag(0x70), children, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("valueLength 3 of tag 70");
  }

  @Test
  void primitive_copiesItsValue_inAndOut() {
    byte[] value = {1, 2, 3};
    Tlv.Primitive tlv = Tlv.primitive(tag(0x5A), value);
    value[0] = 9;
    tlv.value()[1] = 9;
    assertThat(tlv.valueHex()).isEqualTo("010203");
  }

  @Test
  void parseSingle_refusesZeroOrSeveralObjects() {
    assertThatThrownBy(() -> BerTlv.parseSingle(new byte[0]))
        .isInstanceOf(TlvException.class).hasMessageContaining("found 0");
    assertThatThrownBy(() -> BerTlv.parseSingle(Hex.decode("5A01015A0102")))
        .isInstanceOf(TlvException.class).hasMessageContaining("found 2");
  }

  /** {@code depth} nested 70 templates around one 5A object. */
  private static byte[] nested(int depth) {
    byte[] inner = Hex.decode("5A0101");
    for (int i = 0; i < depth; i++) {
      byte[] outer = new byte[inner.length + 2];
      outer[0] = 0x70;
      outer[1] = (byte) inner.length;
      System.arraycopy(inner, 0, outer, 2, inner.length);
      inner = outer;
    }
    return inner;
  }
}
