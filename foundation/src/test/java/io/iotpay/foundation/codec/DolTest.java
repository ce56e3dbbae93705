package io.iotpay.foundation.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The DOL rules of EMV 4.3 Book 3 §5.4 ("Rules for Using a Data Object List"). */
class DolTest {
  private final Map<Tag, byte[]> values = new HashMap<>();
  private final DolSource source = tag -> Optional.ofNullable(values.get(tag));

  private static Tag tag(int value) {
    return Tag.of(value);
  }

  private String build(String dolHex) {
    return Hex.encode(Dol.parse(Hex.decode(dolHex)).build(source));
  }

  @Test
  void parse_pdolFromPublishedFci_givesTwoEntries() {
    // PDOL 9F38 of the published ADF FCI in BerTlvTest: 9F1A (2), 5F2A (2).
    Dol dol = Dol.parse(Hex.decode("9F1A025F2A02"));
    assertThat(dol.entries()).containsExactly(new DolEntry(tag(0x9F1A), 2), new DolEntry(tag(0x5F2A), 2));
    assertThat(dol.dataLength()).isEqualTo(4);
    assertThat(Hex.encode(dol.encode())).isEqualTo("9F1A025F2A02");
    assertThat(dol.contains(tag(0x5F2A))).isTrue();
    assertThat(dol.contains(EmvTags.EXTENDED_APPLICATION_TYPE)).isFalse();
  }

  @Test
  void build_transitPdol_concatenatesValuesInOrder_withZerosForMissing() {
    values.put(tag(0x9F66), Hex.decode("28000000"));
    values.put(EmvTags.AMOUNT_AUTHORISED, Hex.decode("000000000200"));
    values.put(tag(0x9F1A), Hex.decode("0156"));
    values.put(EmvTags.TRANSACTION_CURRENCY_CODE, Hex.decode("0156"));
    values.put(EmvTags.TRANSACTION_DATE, Hex.decode("261122"));
    values.put(tag(0x9F37), Hex.decode("CAFEBABE"));
    values.put(EmvTags.EXTENDED_APPLICATION_TYPE, Hex.decode("01"));
    // 9F03 (amount other) and 95 (TVR) absent: the terminal sends zeros of the asked length.
    String pdol = "9F6604" + "9F0206" + "9F0306" + "9F1A02" + "9505" + "5F2A02" + "9A03" + "9F3704" + "DF6001";

    assertThat(build(pdol)).isEqualTo(
        "28000000" + "000000000200" + "000000000000" + "0156" + "0000000000" + "0156" + "261122" + "CAFEBABE" + "01");
  }

  @Test
  void numericValueLonger_keepsRightmostBytes() {
    values.put(EmvTags.AMOUNT_AUTHORISED, Hex.decode("000000012345"));
    assertThat(build("9F0203")).isEqualTo("012345");
  }

  @Test
  void numericValueShorter_isLeftPaddedWithZeros() {
    values.put(EmvTags.AMOUNT_AUTHORISED, Hex.decode("012345"));
    assertThat(build("9F0206")).isEqualTo("000000012345");
  }

  @Test
  void compressedNumericShorter_isRightPaddedWithFF() {
    values.put(tag(0x5A), Hex.decode("6212345678901234"));
    assertThat(build("5A0A")).isEqualTo("6212345678901234FFFF");
  }

  @Test
  void compressedNumericLonger_keepsLeftmostBytes() {
    values.put(tag(0x5A), Hex.decode("6212345678901234"));
    assertThat(build("5A03")).isEqualTo("621234");
  }

  @Test
  void binaryLonger_keepsLeftmost_andShorter_isRightPaddedWithZeros() {
    values.put(tag(0x9F37), Hex.decode("11223344"));
    assertThat(build("9F3702")).isEqualTo("1122");
    assertThat(build("9F3706")).isEqualTo("112233440000");
  }

  @Test
  void alphanumericShorter_isRightPaddedWithZeros() {
    values.put(tag(0x9F1C), "T01".getBytes(StandardCharsets.US_ASCII));
    assertThat(build("9F1C05")).isEqualTo("5430310000");
  }

  @Test
  void constructedTag_givesZeros_evenWhenTheSourceHasIt() {
    values.put(tag(0x70), Hex.decode("5A0101"));
    assertThat(build("7003")).isEqualTo("000000");
  }

  @Test
  void tagUnknownToEmvTags_withAValue_followsBinaryRules() {
    values.put(tag(0xDF7F), Hex.decode("AABB"));
    assertThat(build("DF7F03")).isEqualTo("AABB00");
    assertThat(build("DF7E02")).isEqualTo("0000");
  }

  @Test
  void zeroLengthEntry_contributesNothing() {
    values.put(tag(0x9F37), Hex.decode("11223344"));
    assertThat(build("9F3700" + "9F3701")).isEqualTo("11");
  }

  @Test
  void parse_lengthByteAbove7F_isAPlainValue_notABerLongForm() {
    assertThat(Dol.parse(Hex.decode("9F4B81" + "9F3704")).entries())
        .containsExactly(new DolEntry(tag(0x9F4B), 129), new DolEntry(tag(0x9F37), 4));
  }

  @Test
  void parse_truncatedTag_namesOffset() {
    assertThatThrownBy(() -> Dol.parse(Hex.decode("9F1A029F")))
        .isInstanceOf(TlvException.class)
        .hasMessageContaining("truncated tag 9F in DOL at offset 3");
  }

  @Test
  void parse_missingLength_namesTag() {
    assertThatThrownBy(() -> Dol.parse(Hex.decode("9F1A")))
        .isInstanceOf(TlvException.class)
        .hasMessageContaining("DOL entry 9F1A has no length byte at offset 2");
  }

  @Test
  void parse_zeroTagByte_isRejected() {
    assertThatThrownBy(() -> Dol.parse(Hex.decode("9F1A0200")))
        .isInstanceOf(TlvException.class)
        .hasMessageContaining("tag byte 00 is not a tag in DOL at offset 3");
  }

  @Test
  void parse_moreEntriesThanTheBound_isRejected() {
    byte[] many = new byte[2 * (Dol.ENTRIES_MAX + 1)];
    for (int i = 0; i < many.length; i += 2) {
      many[i] = (byte) 0x95;
      many[i + 1] = 0x01;
    }
    assertThat(Dol.parse(java.util.Arrays.copyOf(many, 2 * Dol.ENTRIES_MAX)).entries()).hasSize(Dol.ENTRIES_MAX);
    assertThatThrownBy(() -> Dol.parse(many))
        .isInstanceOf(TlvException.class)
        .hasMessageContaining("more than " + Dol.ENTRIES_MAX + " entries");
  }

  @Test
  void fit_exactLength_returnsACopy() {
    byte[] value = {1, 2};
    byte[] fitted = Dol.fit(value, 2, DataFormat.B);
    fitted[0] = 9;
    assertThat(value[0]).isEqualTo((byte) 1);
  }
}
