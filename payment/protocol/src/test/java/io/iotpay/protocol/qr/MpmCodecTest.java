package io.iotpay.protocol.qr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MpmCodecTest {
  private static final String EXAMPLE = QrExamples.MPM_SPEC_EXAMPLE;

  /** A static code with only the mandatory data objects, CRC computed by our encoder. */
  private static List<MpmObject> minimal() {
    return new ArrayList<>(List.of(
        new MpmObject.Primitive("00", "01"),
        new MpmObject.Primitive("01", "11"),
        new MpmObject.Template("26", List.of(new MpmObject.Primitive("00", "io.iotpay"), new MpmObject.Primitive("01", "M-42"))),
        new MpmObject.Primitive("52", "5411"),
        new MpmObject.Primitive("53", "156"),
        new MpmObject.Primitive("58", "CN"),
        new MpmObject.Primitive("59", "CORNER SHOP"),
        new MpmObject.Primitive("60", "SHANGHAI")));
  }

  /** Re-seals a hand-edited payload body ending in "6304" with its correct CRC. */
  private static String seal(String bodyWithCrcHeader) {
    return bodyWithCrcHeader + Crc16.hexOfUtf8(bodyWithCrcHeader);
  }

  private static QrException refused(String payload) {
    try {
      MpmCodec.decode(payload);
    } catch (QrException e) {
      return e;
    }
    throw new AssertionError("accepted: " + payload);
  }

  @Test
  void decode_specAnnexExample_givesEveryFieldAndTheCrc() {
    MerchantPresentedCode code = MpmCodec.decode(EXAMPLE);

    assertThat(code.crc()).isEqualTo("A13A");
    assertThat(code.isDynamic()).isTrue();
    assertThat(code.value("29.00")).contains("D15600000000");
    assertThat(code.value("29.05")).contains("A93FO3230Q");
    assertThat(code.value("31.00")).contains("D15600000001");
    assertThat(code.value("31.03")).contains("12345678");
    assertThat(code.merchantCategoryCode()).isEqualTo("4111");
    assertThat(code.countryCode()).isEqualTo("CN");
    assertThat(code.merchantName()).isEqualTo("BEST TRANSPORT");
    assertThat(code.merchantCity()).isEqualTo("BEIJING");
    assertThat(code.value("64.00")).contains("ZH");
    assertThat(code.value("64.01")).contains("最佳运输");
    assertThat(code.value("64.02")).contains("北京");
    assertThat(code.currency()).isEqualTo(CurrencyUnit.CNY);
    assertThat(code.amount()).contains(Money.ofMinor(2372, CurrencyUnit.CNY));
    assertThat(code.value("55")).contains("01");
    assertThat(code.value("62.03")).contains("1234");
    assertThat(code.value("62.06")).contains("***");
    assertThat(code.value("62.07")).contains("A6008667");
    assertThat(code.value("62.09")).contains("ME");
    assertThat(code.value("91.00")).contains("A011223344998877");
    assertThat(code.value("91.07")).contains("12345678");
    assertThat(code.accounts()).extracting(MpmObject::id).containsExactly("29", "31");
    assertThat(code.objects()).extracting(MpmObject::id)
        .containsExactly("00", "01", "29", "31", "52", "58", "59", "60", "64", "54", "53", "55", "62", "91");
  }

  @Test
  void encode_decodedSpecExample_givesTheSamePayload() {
    assertThat(MpmCodec.encode(MpmCodec.decode(EXAMPLE).objects()).payload()).isEqualTo(EXAMPLE);
  }

  @Test
  void encode_minimalStaticCode_decodesToTheSameObjects() {
    MerchantPresentedCode code = MpmCodec.encode(minimal());
    assertThat(code.payload()).startsWith("000201010211").contains("6304").hasSize(code.payload().indexOf("6304") + 8);
    assertThat(MpmCodec.decode(code.payload()).objects()).isEqualTo(minimal());
    assertThat(code.amount()).isEmpty();
  }

  @Test
  void decode_lengthsCountCharactersNotBytes() {
    // 64.01 holds four Chinese characters (12 UTF-8 bytes) and says length 04.
    assertThat(EXAMPLE).contains("0104最佳运输");
    assertThat(MpmCodec.decode(EXAMPLE).value("64.01")).contains("最佳运输");
  }

  @Test
  void decode_forgedCrc_refusedAsMismatch() {
    QrException e = refused(EXAMPLE.substring(0, EXAMPLE.length() - 4) + "A13B");
    assertThat(e.error()).isEqualTo(QrError.CRC_MISMATCH);
    assertThat(e.tag()).isEqualTo("63");
  }

  @Test
  void decode_forgedAmountWithOldCrc_refusedAsMismatch() {
    QrException e = refused(EXAMPLE.replace("540523.72", "540593.72"));
    assertThat(e.error()).isEqualTo(QrError.CRC_MISMATCH);
  }

  @Test
  void decode_lowerCaseCrc_refusedAsFormat() {
    String body = EXAMPLE.substring(0, EXAMPLE.length() - 4);
    QrException e = refused(body + "a13a");
    assertThat(e.error()).isEqualTo(QrError.CRC_FORMAT);
  }

  @Test
  void decode_crcWithoutLeadingZero_refused() {
    // What an encoder that drops leading zeros writes: "6303" and three digits.
    String body = MpmCodec.encode(minimal()).payload();
    body = body.substring(0, body.length() - 8);
    QrException e = refused(body + "6303ABC");
    assertThat(e.error()).isEqualTo(QrError.CRC_FORMAT);
    assertThat(e.tag()).isEqualTo("63");
  }

  @Test
  void decode_noCrc_refusedAsMissing() {
    String body = MpmCodec.encode(minimal()).payload();
    QrException e = refused(body.substring(0, body.length() - 8));
    assertThat(e.error()).isEqualTo(QrError.CRC_MISSING);
  }

  @Test
  void decode_crcNotLast_refused() {
    String payload = MpmCodec.encode(minimal()).payload();
    QrException e = refused(payload + "6102AB");
    assertThat(e.error()).isEqualTo(QrError.CRC_NOT_LAST);
  }

  @Test
  void decode_duplicateId_refusedNamingIt() {
    QrException e = refused(seal("00020101021126130009io.iotpay5204541152045411530315658"
        + "02CN5911CORNER SHOP6008SHANGHAI6304"));
    assertThat(e.error()).isEqualTo(QrError.DUPLICATE_ID);
    assertThat(e.tag()).isEqualTo("52");
  }

  @Test
  void decode_duplicateInsideTemplate_refusedWithPath() {
    QrException e = refused(seal("00020101021126290009io.iotpay0104M-420104M-4352045411530315658"
        + "02CN5911CORNER SHOP6008SHANGHAI6304"));
    assertThat(e.error()).isEqualTo(QrError.DUPLICATE_ID);
    assertThat(e.tag()).isEqualTo("26.01");
  }

  @Test
  void decode_templateWhoseValueIsNotDataObjects_refusedAsTemplateExpected() {
    // 62 holds plain text: a primitive value where the dictionary says template.
    QrException e = refused(seal("00020101021126130009io.iotpay520454115303156"
        + "5802CN5911CORNER SHOP6008SHANGHAI6205HELLO6304"));
    assertThat(e.error()).isEqualTo(QrError.TEMPLATE_EXPECTED);
    assertThat(e.tag()).isEqualTo("62");
  }

  @Test
  void encode_templateForPrimitiveTag_refusedAsPrimitiveExpected() {
    List<MpmObject> objects = minimal();
    objects.add(new MpmObject.Template("61", List.of(new MpmObject.Primitive("00", "x"))));
    QrException e = assertThrows(QrException.class, () -> MpmCodec.encode(objects));
    assertThat(e.error()).isEqualTo(QrError.PRIMITIVE_EXPECTED);
    assertThat(e.tag()).isEqualTo("61");
  }

  @Test
  void encode_textForTemplateTag_refusedAsTemplateExpected() {
    List<MpmObject> objects = minimal();
    objects.add(new MpmObject.Primitive("64", "ZH"));
    QrException e = assertThrows(QrException.class, () -> MpmCodec.encode(objects));
    assertThat(e.error()).isEqualTo(QrError.TEMPLATE_EXPECTED);
  }

  @Test
  void decode_lengthPastEnd_refused() {
    QrException e = refused("000201010211269");
    assertThat(e.error()).isEqualTo(QrError.LENGTH_PAST_END);
    QrException past = refused("00020101021126990009io.iotpay");
    assertThat(past.error()).isEqualTo(QrError.LENGTH_PAST_END);
    assertThat(past.tag()).isEqualTo("26");
  }

  @Test
  void decode_nonNumericIdOrLength_refused() {
    assertThat(refused("0002010A0211").error()).isEqualTo(QrError.ID_NOT_NUMERIC);
    assertThat(refused("00020101X211").error()).isEqualTo(QrError.LENGTH_NOT_NUMERIC);
  }

  @ParameterizedTest(name = "{0}={1} → {2} at {3}")
  @CsvSource({
      "59, ABCDEFGHIJKLMNOPQRSTUVWXYZ, LENGTH_OUT_OF_RANGE, 59",
      "60, ABCDEFGHIJKLMNOP, LENGTH_OUT_OF_RANGE, 60",
      "52, 54A1, VALUE_FORMAT, 52",
      "53, 999, UNKNOWN_CURRENCY, 53",
      "53, 15, LENGTH_OUT_OF_RANGE, 53",
      "54, 1.2.3, VALUE_FORMAT, 54",
      "54, 12345678901234, LENGTH_OUT_OF_RANGE, 54",
      "54, 1.234, VALUE_FORMAT, 54",
      "58, XX, VALUE_FORMAT, 58",
      "01, 13, VALUE_FORMAT, 01",
      "00, 02, PAYLOAD_FORMAT_INDICATOR, 00",
      "55, 04, VALUE_FORMAT, 55",
      "55, 02, CONDITION_BROKEN, 56",
      "56, 1.00, CONDITION_BROKEN, 56",
      "59, CAFÉ, VALUE_FORMAT, 59"
  })
  void encode_badValue_refusedNamingTheTag(String id, String value, QrError error, String tag) {
    List<MpmObject> objects = minimal();
    objects.removeIf(o -> o.id().equals(id));
    int at = id.equals("00") ? 0 : objects.size();
    objects.add(at, new MpmObject.Primitive(id, value));
    QrException e = assertThrows(QrException.class, () -> MpmCodec.encode(objects));
    assertThat(e.error()).isEqualTo(error);
    assertThat(e.tag()).isEqualTo(tag);
    assertThat(e.getMessage()).startsWith("qr: ").doesNotContain("\n");
  }

  @Test
  void decode_mandatoryMissing_refusedNamingIt() {
    List<MpmObject> objects = minimal();
    objects.removeIf(o -> o.id().equals("59"));
    QrException e = assertThrows(QrException.class, () -> MpmCodec.encode(objects));
    assertThat(e.error()).isEqualTo(QrError.MANDATORY_MISSING);
    assertThat(e.tag()).isEqualTo("59");
  }

  @Test
  void decode_accountTemplateWithoutGuid_refused() {
    List<MpmObject> objects = minimal();
    objects.set(2, new MpmObject.Template("26", List.of(new MpmObject.Primitive("01", "M-42"))));
    QrException e = assertThrows(QrException.class, () -> MpmCodec.encode(objects));
    assertThat(e.error()).isEqualTo(QrError.MANDATORY_MISSING);
    assertThat(e.tag()).isEqualTo("26.00");
  }

  @Test
  void decode_noAccountAtAll_refused() {
    List<MpmObject> objects = minimal();
    objects.remove(2);
    QrException e = assertThrows(QrException.class, () -> MpmCodec.encode(objects));
    assertThat(e.error()).isEqualTo(QrError.MANDATORY_MISSING);
    assertThat(e.tag()).isEqualTo("02-51");
  }

  @Test
  void decode_payloadFormatNotFirst_refused() {
    List<MpmObject> objects = minimal();
    objects.add(objects.remove(0));
    QrException e = assertThrows(QrException.class, () -> MpmCodec.encode(objects));
    assertThat(e.error()).isEqualTo(QrError.PAYLOAD_FORMAT_INDICATOR);
  }

  @Test
  void decode_overMaximumSize_refusedBeforeParsing() {
    String longPayload = "0".repeat(MpmCodec.PAYLOAD_CHARS_MAX + 1);
    assertThat(refused(longPayload).error()).isEqualTo(QrError.PAYLOAD_TOO_LONG);
    assertThat(refused("").error()).isEqualTo(QrError.PAYLOAD_EMPTY);
  }

  @Test
  void encode_tipFixedFeeAndAdditionalData_roundTrips() {
    List<MpmObject> objects = minimal();
    objects.add(new MpmObject.Primitive("54", "120.50"));
    objects.add(new MpmObject.Primitive("55", "02"));
    objects.add(new MpmObject.Primitive("56", "3.00"));
    objects.add(new MpmObject.Template("62", List.of(
        new MpmObject.Primitive("00", "RFU kept"),
        new MpmObject.Primitive("01", "INV-0001"),
        new MpmObject.Primitive("05", "REF-9"),
        new MpmObject.Primitive("09", "AME"),
        new MpmObject.Template("50", List.of(new MpmObject.Primitive("00", "A0000003330101"), new MpmObject.Primitive("01", "x"))))));
    MerchantPresentedCode code = MpmCodec.encode(objects);
    assertThat(code.value("62.00")).contains("RFU kept");
    assertThat(code.value("62.50.00")).contains("A0000003330101");
    assertThat(code.amount()).contains(Money.ofMinor(12050, CurrencyUnit.CNY));
    assertThat(MpmCodec.decode(code.payload()).objects()).isEqualTo(objects);
  }

  @Test
  void decode_consumerDataRequestWithRepeatedLetter_refused() {
    List<MpmObject> objects = minimal();
    objects.add(new MpmObject.Template("62", List.of(new MpmObject.Primitive("09", "AA"))));
    QrException e = assertThrows(QrException.class, () -> MpmCodec.encode(objects));
    assertThat(e.error()).isEqualTo(QrError.VALUE_FORMAT);
    assertThat(e.tag()).isEqualTo("62.09");
  }

  @Test
  void encode_crcGivenByCaller_refused() {
    List<MpmObject> objects = minimal();
    objects.add(new MpmObject.Primitive("63", "ABCD"));
    QrException e = assertThrows(QrException.class, () -> MpmCodec.encode(objects));
    assertThat(e.error()).isEqualTo(QrError.CRC_NOT_LAST);
  }
}
