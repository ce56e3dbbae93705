package io.iotpay.foundation.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

class BcdProperties {
  @Property(tries = 1000)
  void amount_roundTrips(@ForAll @LongRange(min = 0, max = Bcd.AMOUNT_MINOR_MAX) long amountMinor) {
    assertThat(Bcd.decodeAmount(Bcd.encodeAmount(amountMinor))).isEqualTo(amountMinor);
  }

  @Property(tries = 1000)
  void encode_hexOfBcd_isTheZeroPaddedDecimalText(
      @ForAll long raw, @ForAll @IntRange(min = 1, max = 18) int digits) {
    long value = Math.floorMod(raw, BigInteger.TEN.pow(digits).longValueExact());
    // Independent oracle: BCD's hex is exactly the decimal digits, left-padded to an even count.
    int evenDigits = digits + (digits & 1);
    String expected = String.format("%0" + evenDigits + "d", value);
    assertThat(Hex.encode(Bcd.encode(value, digits))).isEqualTo(expected);
  }

  @Property(tries = 500)
  void digits_roundTrip(@ForAll @NumericChars @StringLength(min = 0, max = 40) String digits) {
    String even = (digits.length() & 1) == 0 ? digits : "0" + digits;
    assertThat(Bcd.decodeDigits(Bcd.encodeDigits(digits))).isEqualTo(even);
  }

  @Property(tries = 2000)
  void decode_ofRandomBytes_givesNumberOrCodecException(@ForAll @Size(max = 12) byte[] bytes) {
    try {
      long value = Bcd.decode(bytes);
      assertThat(Hex.encode(bytes)).isEqualTo(String.format("%0" + 2 * bytes.length + "d", value));
    } catch (CodecException expected) {
      assertThat(expected.getMessage()).startsWith("bcd: ");
    }
  }

  @Property(tries = 2000)
  void decodeOfARange_isDecodeOfItsCopy(@ForAll @Size(max = 16) byte[] bytes, @ForAll @IntRange(min = 0, max = 16) int offset,
      @ForAll @IntRange(min = 0, max = 12) int length) {
    if (offset + length > bytes.length) {
      assertThatThrownBy(() -> Bcd.decode(bytes, offset, length)).isInstanceOf(IndexOutOfBoundsException.class);
      return;
    }
    byte[] copy = java.util.Arrays.copyOfRange(bytes, offset, offset + length);
    String expected;
    try {
      expected = String.valueOf(Bcd.decode(copy));
    } catch (CodecException e) {
      expected = "refused";
    }
    String actual;
    try {
      actual = String.valueOf(Bcd.decode(bytes, offset, length));
    } catch (CodecException e) {
      actual = "refused";
    }
    assertThat(actual).isEqualTo(expected);
  }
}
