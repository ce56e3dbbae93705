package io.iotpay.protocol.qr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Crc16Test {
  @Test
  void of_checkString123456789_is29B1() {
    // The catalogue check value of CRC-16/CCITT-FALSE (Greg Cook, "Catalogue of parametrised CRC
    // algorithms", CRC-16/IBM-3740 alias CCITT-FALSE: check=0x29B1).
    assertThat(Crc16.of("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0x29B1);
    assertThat(Crc16.hexOfUtf8("123456789")).isEqualTo("29B1");
  }

  @Test
  void hexOfUtf8_specExample_isA13A() {
    String example = QrExamples.MPM_SPEC_EXAMPLE;
    String covered = example.substring(0, example.length() - 4);
    assertThat(Crc16.hexOfUtf8(covered)).isEqualTo("A13A");
  }

  @Test
  void hexOfUtf8_smallCrc_keepsLeadingZeros() {
    // Found by search over short strings: a text whose CRC is below 0x1000 must still print 4 digits.
    String text = findTextWithSmallCrc();
    assertThat(Crc16.hexOfUtf8(text)).hasSize(4).startsWith("0");
  }

  @Test
  void of_emptyInput_isInitialValue() {
    assertThat(Crc16.of(new byte[0])).isEqualTo(0xFFFF);
  }

  private static String findTextWithSmallCrc() {
    for (int i = 0; ; i++) {
      String text = "6304" + i;
      if (Crc16.of(text.getBytes(StandardCharsets.UTF_8)) < 0x1000) {
        return text;
      }
    }
  }
}
