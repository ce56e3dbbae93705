package io.iotpay.protocol.qr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.Tag;
import io.iotpay.foundation.codec.Tlv;
import io.iotpay.foundation.codec.TlvBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpmCodecTest {
  private static final String EXAMPLE = QrExamples.CPM_SPEC_EXAMPLE_BASE64;

  private static QrException refusedBytes(String hex) {
    return refused(Base64.getEncoder().encodeToString(Hex.decode(hex)));
  }

  private static QrException refused(String text) {
    return assertThrows(QrException.class, () -> CpmCodec.decode(text));
  }

  private static Tlv.Primitive ascii(int tag, String text) {
    return Tlv.primitive(Tag.of(tag), text.getBytes(StandardCharsets.US_ASCII));
  }

  private static Tlv.Primitive hex(int tag, String hex) {
    return Tlv.primitive(Tag.of(tag), Hex.decode(hex));
  }

  /** A one-application code carrying a token PAN and a cryptogram, as the issuer app would show it. */
  private static List<Tlv> tokenCode() {
    return List.of(
        ascii(0x85, "CPV01"),
        TlvBuilder.template(Tag.of(0x61))
            .add(hex(0x4F, "A000000333010101"))
            .add(ascii(0x50, "IOTPAY DEBIT"))
            .add(hex(0x5A, "6212345678901234567F"))
            .add(TlvBuilder.template(Tag.of(0x63))
                .add(hex(0x9F26, "1122334455667788"))
                .add(hex(0x9F27, "80"))
                .add(hex(0x9F36, "002A"))
                .add(hex(0x82, "1980"))
                .add(hex(0x9F37, "CAFEBABE"))
                .build())
            .build());
  }

  @Test
  void base64OfSpecHex_isTheSpecBase64() {
    assertThat(Base64.getEncoder().encodeToString(Hex.decode(QrExamples.CPM_SPEC_EXAMPLE_HEX))).isEqualTo(EXAMPLE);
  }

  @Test
  void decode_specExample_givesTemplatesAndCryptogram() {
    ConsumerPresentedCode code = CpmCodec.decode(EXAMPLE);

    assertThat(code.applications()).hasSize(2);
    assertThat(code.applications().get(0).find(Tag.of(0x4F)).map(t -> ((Tlv.Primitive) t).valueHex())).contains("A0000000555555");
    assertThat(code.applications().get(1).find(Tag.of(0x50)).map(t -> new String(((Tlv.Primitive) t).value(), StandardCharsets.US_ASCII)))
        .contains("Product2");
    assertThat(code.value(Tag.of(0x5A)).map(Hex::encode)).contains("1234567890123458");
    assertThat(code.value(Tag.of(0x5F20)).map(b -> new String(b, StandardCharsets.US_ASCII))).contains("CARDHOLDER/EMV");
    assertThat(code.value(Tag.of(0x5F2D)).map(b -> new String(b, StandardCharsets.US_ASCII))).contains("ruesdeen");
    assertThat(code.applicationCryptogram().map(Hex::encode)).contains("584FD385FA234BCC");
    assertThat(code.value(Tag.of(0x9F10)).map(Hex::encode)).contains("06010A03000000");
    assertThat(code.value(Tag.of(0x9F36)).map(Hex::encode)).contains("0001");
    assertThat(code.value(Tag.of(0x9F37)).map(Hex::encode)).contains("6D58EF13");
    assertThat(code.commonData()).isPresent();
  }

  @Test
  void encode_decodedSpecExample_givesTheSameText() {
    assertThat(CpmCodec.encode(CpmCodec.decode(EXAMPLE).objects()).text()).isEqualTo(EXAMPLE);
  }

  @Test
  void encode_tokenCode_roundTrips() {
    ConsumerPresentedCode code = CpmCodec.encode(tokenCode());
    assertThat(CpmCodec.decode(code.text()).objects()).isEqualTo(tokenCode());
    assertThat(code.applicationCryptogram().map(Hex::encode)).contains("1122334455667788");
  }

  @Test
  void toString_neverShowsThePan() {
    assertThat(CpmCodec.decode(EXAMPLE).toString()).doesNotContain("1234567890123458").contains("62 (73)");
  }

  private static final Tlv.Primitive PFI = ascii(0x85, "CPV01");
  private static final Tlv.Primitive AID = hex(0x4F, "A0000000555555");
  private static final Tlv.Primitive PAN = hex(0x5A, "1234567890123458");

  private static Tlv.Constructed template(int tag, Tlv... children) {
    return Tlv.constructed(Tag.of(tag), children);
  }

  private static QrException refused(Tlv... objects) {
    return refused(Base64.getEncoder().encodeToString(io.iotpay.foundation.codec.BerTlv.encode(List.of(objects))));
  }

  @Test
  void decode_wrongFormatIndicator_refused() {
    QrException e = refused(ascii(0x85, "CPV02"), template(0x61, AID, PAN));
    assertThat(e.error()).isEqualTo(QrError.PAYLOAD_FORMAT_INDICATOR);
    assertThat(e.tag()).isEqualTo("85");
  }

  @Test
  void decode_applicationTemplateFirst_refused() {
    QrException e = refused(template(0x61, AID, PAN), PFI);
    assertThat(e.error()).isEqualTo(QrError.PAYLOAD_FORMAT_INDICATOR);
  }

  @Test
  void decode_noApplicationTemplate_refused() {
    QrException e = refused(PFI, template(0x62, PAN));
    assertThat(e.error()).isEqualTo(QrError.MANDATORY_MISSING);
    assertThat(e.tag()).isEqualTo("61");
  }

  @Test
  void decode_applicationWithoutAdfName_refused() {
    QrException e = refused(PFI, template(0x61, PAN));
    assertThat(e.error()).isEqualTo(QrError.MANDATORY_MISSING);
    assertThat(e.tag()).isEqualTo("61.4F");
  }

  @Test
  void decode_noPanNorTrack2_refused() {
    QrException e = refused(PFI, template(0x61, AID));
    assertThat(e.error()).isEqualTo(QrError.MANDATORY_MISSING);
    assertThat(e.tag()).isEqualTo("5A");
  }

  @Test
  void decode_cryptogramOfWrongLength_refusedNamingTheTag() {
    QrException e = refused(PFI, template(0x61, AID, PAN, template(0x63, hex(0x9F26, "11"))));
    assertThat(e.error()).isEqualTo(QrError.LENGTH_OUT_OF_RANGE);
    assertThat(e.tag()).isEqualTo("61.63.9F26");
  }

  @Test
  void decode_templateInTransparentTemplate_refusedAsPrimitiveExpected() {
    QrException e = refused(PFI, template(0x61, AID, PAN, template(0x63, template(0x64, hex(0x82, "1980")))));
    assertThat(e.error()).isEqualTo(QrError.PRIMITIVE_EXPECTED);
    assertThat(e.tag()).isEqualTo("61.63.64");
  }

  @Test
  void decode_deeperThanTheParserBound_refusedAsMalformed() {
    QrException e = refused(PFI, template(0x61, AID, PAN, template(0x63, template(0x64, template(0x65, hex(0x82, "1980"))))));
    assertThat(e.error()).isEqualTo(QrError.TLV_MALFORMED);
    assertThat(e.getMessage()).contains("depthMax 3");
  }

  @Test
  void decode_wrongTransparentTemplate_refusedAsUnexpected() {
    QrException e = refused(PFI, template(0x61, AID, PAN, template(0x64, hex(0x9F26, "1122334455667788"))));
    assertThat(e.error()).isEqualTo(QrError.UNEXPECTED_TAG);
    assertThat(e.tag()).isEqualTo("61.64");
  }

  @Test
  void decode_unknownTagInApplicationTemplate_refused() {
    QrException e = refused(PFI, template(0x61, AID, PAN, hex(0x9F7F, "00")));
    assertThat(e.error()).isEqualTo(QrError.UNEXPECTED_TAG);
    assertThat(e.tag()).isEqualTo("61.9F7F");
  }

  @Test
  void decode_unknownTopLevelTemplate_refused() {
    QrException e = refused(PFI, template(0x61, AID, PAN), template(0x63, hex(0x82, "1980")));
    assertThat(e.error()).isEqualTo(QrError.UNEXPECTED_TAG);
    assertThat(e.tag()).isEqualTo("63");
  }

  @Test
  void decode_duplicateTag_refused() {
    QrException e = refused(PFI, template(0x61, AID, PAN, PAN));
    assertThat(e.error()).isEqualTo(QrError.DUPLICATE_ID);
    assertThat(e.tag()).isEqualTo("61.5A");
    assertThat(refused(PFI, PFI, template(0x61, AID, PAN)).error()).isEqualTo(QrError.DUPLICATE_ID);
  }

  @Test
  void decode_panWithLetters_refusedWithoutEchoingIt() {
    QrException e = refused(PFI, template(0x61, AID, hex(0x5A, "1234567890ABCDEF")));
    assertThat(e.error()).isEqualTo(QrError.VALUE_FORMAT);
    assertThat(e.tag()).isEqualTo("61.5A");
    assertThat(e.getMessage()).doesNotContain("1234567890");
  }

  @Test
  void decode_track2WithoutSeparator_refused() {
    QrException e = refused(PFI, template(0x61, AID, hex(0x57, "1234567890123458")));
    assertThat(e.error()).isEqualTo(QrError.VALUE_FORMAT);
    assertThat(e.tag()).isEqualTo("61.57");
  }

  @Test
  void decode_notBase64OrUnpadded_refused() {
    assertThat(refused("hQVD*FYwMQ==").error()).isEqualTo(QrError.NOT_BASE64);
    assertThat(refused(EXAMPLE.substring(0, EXAMPLE.length() - 2)).error()).isEqualTo(QrError.NOT_BASE64);
  }

  @Test
  void decode_nonMinimalLength_refusedAsMalformed() {
    QrException e = refusedBytes("8581054350563031" + "61134F07A00000005555555A081234567890123458");
    assertThat(e.error()).isEqualTo(QrError.TLV_MALFORMED);
  }

  @Test
  void decode_tooLong_refusedBeforeDecoding() {
    assertThat(refused("A".repeat(CpmCodec.TEXT_CHARS_MAX + 4)).error()).isEqualTo(QrError.PAYLOAD_TOO_LONG);
    assertThat(refused("").error()).isEqualTo(QrError.PAYLOAD_EMPTY);
  }

  @Test
  void qrCodec_autoDetectsEitherMode() {
    assertThat(QrCodec.decode(EXAMPLE)).isInstanceOf(ConsumerPresentedCode.class);
    assertThat(QrCodec.decode(QrExamples.MPM_SPEC_EXAMPLE)).isInstanceOf(MerchantPresentedCode.class);
  }
}
