package io.iotpay.foundation.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

/** BCD in the EMV formats of EMV 4.3 Book 3 §4.3 (n, cn) and Annex A (9F02 n12, 9A n6, 9F21 n6). */
class BcdTest {
  @Test
  void amount_50yuan_isSixBytesRightJustified() {
    // 50.00 CNY = 5000 fen; n12 right-justified with leading zeros: 00 00 00 00 50 00.
    assertThat(Hex.encode(Bcd.encodeAmount(5000))).isEqualTo("000000005000");
    assertThat(Bcd.decodeAmount(Hex.decode("000000005000"))).isEqualTo(5000);
  }

  @Test
  void amount_extremes() {
    assertThat(Hex.encode(Bcd.encodeAmount(0))).isEqualTo("000000000000");
    assertThat(Hex.encode(Bcd.encodeAmount(Bcd.AMOUNT_MINOR_MAX))).isEqualTo("999999999999");
    assertThat(Bcd.decodeAmount(Hex.decode("999999999999"))).isEqualTo(999_999_999_999L);
  }

  @Test
  void amount_negativeOrAboveTwelveDigits_isRejected() {
    assertThatThrownBy(() -> Bcd.encodeAmount(-1))
        .isInstanceOf(CodecException.class).hasMessageContaining("amount -1 is negative");
    assertThatThrownBy(() -> Bcd.encodeAmount(1_000_000_000_000L))
        .isInstanceOf(CodecException.class).hasMessageContaining("needs more than 12 digits");
  }

  @Test
  void decode_nonDecimalNibble_namesByteAndNibble() {
    assertThatThrownBy(() -> Bcd.decodeAmount(Hex.decode("00000000500A")))
        .isInstanceOf(CodecException.class)
        .hasMessage("bcd: byte 5 (0A) has low nibble A, not a decimal digit");
    assertThatThrownBy(() -> Bcd.decode(Hex.decode("F1")))
        .isInstanceOf(CodecException.class)
        .hasMessage("bcd: byte 0 (F1) has high nibble F, not a decimal digit");
  }

  @Test
  void decodeAmount_wrongLength_isRejected() {
    assertThatThrownBy(() -> Bcd.decodeAmount(Hex.decode("0050")))
        .isInstanceOf(CodecException.class).hasMessageContaining("6 bytes, got 2");
  }

  @Test
  void decode_tooManyBytesForALong_isRejected() {
    assertThat(Bcd.decode(Hex.decode("999999999999999999"))).isEqualTo(999_999_999_999_999_999L);
    assertThatThrownBy(() -> Bcd.decode(new byte[10])).isInstanceOf(CodecException.class);
    assertThatThrownBy(() -> Bcd.decode(new byte[0])).isInstanceOf(CodecException.class);
  }

  @Test
  void oddDigitCount_getsALeadingZeroNibble() {
    // 5F2A Transaction Currency Code is n3 in 2 bytes: CNY 156 -> 01 56.
    assertThat(Hex.encode(Bcd.encode(156, 3))).isEqualTo("0156");
    assertThat(Hex.encode(Bcd.encodeDigits("156"))).isEqualTo("0156");
    assertThat(Bcd.decodeDigits(Hex.decode("0156"))).isEqualTo("0156");
  }

  @Test
  void encodeDigits_nonDigit_namesPosition() {
    assertThatThrownBy(() -> Bcd.encodeDigits("12a4"))
        .isInstanceOf(CodecException.class).hasMessage("bcd: 'a' at position 2 is not a decimal digit");
    assertThatThrownBy(() -> Bcd.encodeDigits("1x4"))
        .isInstanceOf(CodecException.class).hasMessage("bcd: 'x' at position 1 is not a decimal digit");
  }

  @Test
  void compressedNumeric_panWithPadding() {
    // 5A PAN is cn: digits left-justified, F-padded: a 17-digit PAN in 9 bytes ends with F.
    assertThat(Bcd.decodeCompressed(Hex.decode("6212345678901234567F"))).isEqualTo("6212345678901234567");
    assertThat(Hex.encode(Bcd.encodeCompressed("6212345678901234567", 10))).isEqualTo("6212345678901234567F");
    assertThatThrownBy(() -> Bcd.decodeCompressed(Hex.decode("12F3")))
        .isInstanceOf(CodecException.class).hasMessageContaining("nibble 3 in byte 1 (low) is after F padding");
    assertThatThrownBy(() -> Bcd.decodeCompressed(Hex.decode("1A")))
        .isInstanceOf(CodecException.class).hasMessageContaining("nibble A in byte 0 (low) is not a digit");
    assertThatThrownBy(() -> Bcd.encodeCompressed("123", 1))
        .isInstanceOf(CodecException.class).hasMessageContaining("do not fit");
  }

  @Test
  void transactionDate_isYymmdd() {
    assertThat(Hex.encode(Bcd.encodeDate(LocalDate.of(2026, 11, 22)))).isEqualTo("261122");
    assertThat(Bcd.decodeDate(Hex.decode("261122"))).isEqualTo(LocalDate.of(2026, 11, 22));
    assertThat(Bcd.decodeDate(Hex.decode("991231"))).isEqualTo(LocalDate.of(1999, 12, 31));
    assertThat(Bcd.decodeDate(Hex.decode("491231"))).isEqualTo(LocalDate.of(2049, 12, 31));
  }

  @Test
  void transactionDate_impossibleOrOutOfRange_isRejected() {
    assertThatThrownBy(() -> Bcd.decodeDate(Hex.decode("260230")))
        .isInstanceOf(CodecException.class).hasMessageContaining("date 260230 does not exist");
    assertThatThrownBy(() -> Bcd.decodeDate(Hex.decode("2611")))
        .isInstanceOf(CodecException.class).hasMessageContaining("3 bytes, got 2");
    assertThatThrownBy(() -> Bcd.encodeDate(LocalDate.of(2050, 1, 1)))
        .isInstanceOf(CodecException.class).hasMessageContaining("year 2050");
  }

  @Test
  void transactionTime_isHhmmss() {
    assertThat(Hex.encode(Bcd.encodeTime(LocalTime.of(23, 5, 9)))).isEqualTo("230509");
    assertThat(Bcd.decodeTime(Hex.decode("230509"))).isEqualTo(LocalTime.of(23, 5, 9));
    assertThatThrownBy(() -> Bcd.decodeTime(Hex.decode("246000")))
        .isInstanceOf(CodecException.class).hasMessageContaining("time 246000 does not exist");
  }
}
