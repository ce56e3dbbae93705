package io.iotpay.foundation.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApduTest {
  @Test
  void selectPpse_encodesAsPublished() {
    // SELECT by name (EMV Book 1 §11.3.2: CLA 00, INS A4, P1 04, P2 00, Le 00) of the PPSE
    // "2PAY.SYS.DDF01"; the same command is printed in github.com/javisHuang/Learn,
    // emv/Initiate_Application.md as 00A40400 + length + name + 00.
    CommandApdu select = new CommandApdu(0x00, 0xA4, 0x04, 0x00,
        "2PAY.SYS.DDF01".getBytes(StandardCharsets.US_ASCII), 256);
    assertThat(select.toHex()).isEqualTo("00A404000E325041592E5359532E444446303100");
    assertThat(select.apduCase()).isEqualTo(ApduCase.CASE_4S);
    assertThat(CommandApdu.parseHex("00A404000E325041592E5359532E444446303100")).isEqualTo(select);
  }

  @Test
  void getProcessingOptions_withEmptyPdol_isCase4() {
    // EMV Book 3 §6.5.8: GPO is CLA 80 INS A8 P1 00 P2 00, data 83 00 when the card gives no PDOL.
    CommandApdu gpo = CommandApdu.parseHex("80A8000002830000");
    assertThat(gpo.cla()).isEqualTo(0x80);
    assertThat(gpo.ins()).isEqualTo(0xA8);
    assertThat(Hex.encode(gpo.data())).isEqualTo("8300");
    assertThat(gpo.ne()).isEqualTo(256);
  }

  @Test
  void readRecordOfTransitLogFile_isCase2() {
    // EMV Book 3 §6.5.11: READ RECORD P2 = SFI << 3 | 100b; SFI 1E (transit spec) gives F4.
    CommandApdu read = new CommandApdu(0x00, 0xB2, 0x01, (0x1E << 3) | 0x04, new byte[0], 256);
    assertThat(read.toHex()).isEqualTo("00B201F400");
    assertThat(read.apduCase()).isEqualTo(ApduCase.CASE_2S);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // case, hex, Nc, Ne: length rules of ISO/IEC 7816-4 §5.1 (Table 1 and its decoding conditions)
    "CASE_1,  84DA0000,                    0, 0",
    "CASE_2S, 00B0000010,                  0, 16",
    "CASE_2S, 00B0000000,                  0, 256",
    "CASE_3S, 04DA000003AABBCC,            3, 0",
    "CASE_4S, 00A4040002AABB00,            2, 256",
    "CASE_4S, 00A4040002AABB01,            2, 1",
    "CASE_2E, 00B00000000101,              0, 257",
    "CASE_2E, 00B00000000000,              0, 65536",
    "CASE_3E, 00D60000000003AABBCC,        3, 0",
    "CASE_4E, 00D60000000002AABB0000,      2, 65536",
    "CASE_4E, 00D60000000002AABB0101,      2, 257"
  })
  void parse_eachCase_readsNcAndNe(ApduCase expectedCase, String hex, int nc, int ne) {
    CommandApdu apdu = CommandApdu.parseHex(hex);
    assertThat(apdu.nc()).isEqualTo(nc);
    assertThat(apdu.ne()).isEqualTo(ne);
    if (!expectedCase.isExtended() || ne > 256) {
      // Extended forms that fit the short form are re-encoded short (ISO allows both).
      assertThat(apdu.apduCase()).isEqualTo(expectedCase);
      assertThat(apdu.toHex()).isEqualTo(hex);
    }
  }

  @Test
  void encode_largeData_switchesBothFieldsToExtended() {
    CommandApdu apdu = new CommandApdu(0x00, 0xD6, 0x00, 0x00, new byte[256], 16);
    byte[] encoded = apdu.encode();
    assertThat(apdu.apduCase()).isEqualTo(ApduCase.CASE_4E);
    assertThat(Hex.encode(encoded, 4, 3)).isEqualTo("000100");
    assertThat(Hex.encode(encoded, encoded.length - 2, 2)).isEqualTo("0010");
    assertThat(encoded).hasSize(4 + 3 + 256 + 2);
  }

  @Test
  void encode_maximalExtendedData_roundTrips() {
    CommandApdu apdu = new CommandApdu(0x00, 0xD6, 0x00, 0x00, new byte[CommandApdu.NC_MAX], CommandApdu.NE_MAX);
    assertThat(CommandApdu.parse(apdu.encode())).isEqualTo(apdu);
  }

  @Test
  void parse_tooShort_isRejected() {
    assertThatThrownBy(() -> CommandApdu.parseHex("00A404"))
        .isInstanceOf(ApduException.class).hasMessage("apdu: only 3 bytes, a header needs 4");
  }

  @Test
  void parse_lcDisagreeingWithData_isRejected() {
    assertThatThrownBy(() -> CommandApdu.parseHex("00A4040005A000"))
        .isInstanceOf(ApduException.class)
        .hasMessage("apdu: short Lc 5 at offset 4 needs 10 or 11 bytes in all, got 7");
    assertThatThrownBy(() -> CommandApdu.parseHex("00A4040001AABBCC"))
        .isInstanceOf(ApduException.class).hasMessageContaining("short Lc 1");
  }

  @Test
  void parse_extendedMarkerWithoutLengthBytes_isRejected() {
    assertThatThrownBy(() -> CommandApdu.parseHex("00B0000000FF"))
        .isInstanceOf(ApduException.class)
        .hasMessageContaining("extended-length marker 00 at offset 4 needs two more length bytes, got 1");
  }

  @Test
  void parse_extendedLcZero_isRejected() {
    assertThatThrownBy(() -> CommandApdu.parseHex("00D6000000000011"))
        .isInstanceOf(ApduException.class).hasMessageContaining("extended Lc 0000");
  }

  @Test
  void parse_extendedLcDisagreeingWithData_isRejected() {
    assertThatThrownBy(() -> CommandApdu.parseHex("00D60000000003AABBCC00"))
        .isInstanceOf(ApduException.class)
        .hasMessageContaining("extended Lc 3 at offset 4 needs 10 or 12 bytes in all, got 11");
  }

  @Test
  void fieldsOutOfRange_areRejected() {
    assertThatThrownBy(() -> CommandApdu.parseHex("FFA40400"))
        .isInstanceOf(ApduException.class).hasMessageContaining("CLA FF is invalid");
    assertThatThrownBy(() -> new CommandApdu(0, 256, 0, 0, new byte[0], 0))
        .isInstanceOf(ApduException.class).hasMessageContaining("INS 256 is not a byte");
    assertThatThrownBy(() -> new CommandApdu(0, 0, 0, 0, new byte[0], 65_537))
        .isInstanceOf(ApduException.class).hasMessageContaining("Ne 65537");
    assertThatThrownBy(() -> new CommandApdu(0, 0, 0, 0, new byte[65_536], 0))
        .isInstanceOf(ApduException.class).hasMessageContaining("65536 bytes");
  }

  @Test
  void toString_doesNotRevealCommandData() {
    // VERIFY (00 20) carries a PIN block; it must not reach a log through toString.
    CommandApdu verify = CommandApdu.parseHex("0020008008241234FFFFFFFFFF");
    assertThat(verify.toString()).doesNotContain("1234").contains("Nc=8");
  }

  @Test
  void response_parse_splitsDataAndStatus() {
    ResponseApdu response = ResponseApdu.parseHex("6F0984075041592E5359539000");
    assertThat(response.isOk()).isTrue();
    assertThat(response.sw()).isEqualTo(0x9000);
    assertThat(Hex.encode(response.data())).isEqualTo("6F0984075041592E535953");
    assertThat(Hex.encode(response.encode())).isEqualTo("6F0984075041592E5359539000");
  }

  @Test
  void response_statusOnly_andQualifiers() {
    ResponseApdu moreData = ResponseApdu.parseHex("6110");
    assertThat(moreData.data()).isEmpty();
    assertThat(moreData.sw1()).isEqualTo(0x61);
    assertThat(moreData.sw2()).isEqualTo(0x10);
    assertThat(moreData.status()).contains(StatusWord.BYTES_AVAILABLE);
    assertThat(StatusWord.BYTES_AVAILABLE.qualifier(moreData.sw())).isEqualTo(0x10);
  }

  @Test
  void response_malformed_isRejected() {
    assertThatThrownBy(() -> ResponseApdu.parseHex("90"))
        .isInstanceOf(ApduException.class).hasMessageContaining("1 bytes lacks SW1 SW2");
    assertThatThrownBy(() -> ResponseApdu.parseHex("AABB6000"))
        .isInstanceOf(ApduException.class).hasMessageContaining("SW1 60 is not a status byte");
    assertThatThrownBy(() -> ResponseApdu.parseHex("0000"))
        .isInstanceOf(ApduException.class).hasMessageContaining("SW1 00");
  }
}
