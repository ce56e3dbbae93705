package io.iotpay.bench.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The air-time model against the ISO/IEC 14443 figures it is built from: one bit at 106 kbit/s
 * lasts 128/fc (ISO/IEC 14443-2 §8.1: fc = 13.56 MHz, bit rate fc/128), i.e. 9.4395 µs; the
 * minimum frame delay time is 1172/fc = 86.43 µs (ISO/IEC 14443-3 §6.2.1.1).
 */
class AirTimeModelTest {
  private static final double BIT_MICROS = 128 / 13.56;
  private static final double FDT_MICROS = 1172 / 13.56;

  @Test
  void emptyApdus_costTwoBareIBlocksAndTwoFrameDelays() {
    // Each frame: PCB + CRC_A = 3 bytes x 9 bits + SOF + EOF = 29 bit times.
    double expected = 2 * 29 * BIT_MICROS + 2 * FDT_MICROS;
    assertThat(AirTimeModel.iso14443a106().exchangeMicros(0, 0)).isCloseTo(expected, within(0.01));
    assertThat(expected).isCloseTo(720.3, within(0.1));
  }

  @Test
  void eachApduByte_addsNineBitTimes() {
    AirTimeModel model = AirTimeModel.iso14443a106();
    assertThat(model.exchangeMicros(10, 2) - model.exchangeMicros(0, 0)).isCloseTo(12 * 9 * BIT_MICROS, within(0.01));
  }
}
