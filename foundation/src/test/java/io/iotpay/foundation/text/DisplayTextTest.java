package io.iotpay.foundation.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DisplayTextTest {
  @ParameterizedTest
  @ValueSource(ints = {0x00, 0x09, 0x0A, 0x0D, 0x1B, 0x1F, 0x7F, 0x80, 0x85, 0x9F, 0x200E, 0x200F, 0x061C,
      0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF, 0xD800, 0xDC00})
  void firstUnsafeIndex_whenNameHoldsControlBidiOrLoneSurrogate_pointsAtIt(int codeUnit) {
    String name = "Caf\u00e9 " + (char) codeUnit + " Ltd";
    assertEquals(5, DisplayText.firstUnsafeIndex(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Joe's Coffee", "Caf\u00e9 M\u00fcller", "\u5317\u4eac\u5496\u5561", "\u0645\u0642\u0647\u0649", "Pizza \ud83c\udf55", "a-b_c.d (e)"})
  void firstUnsafeIndex_whenNameIsOrdinaryText_isMinusOne(String name) {
    assertEquals(-1, DisplayText.firstUnsafeIndex(name));
  }
}
