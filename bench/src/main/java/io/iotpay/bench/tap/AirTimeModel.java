package io.iotpay.bench.tap;

/**
 * Modelled ISO/IEC 14443 type A air time of one APDU exchange at 106 kbit/s (docs/gate.md §7).
 * Each frame is one ISO 14443-4 I-block: prologue PCB (1 byte, no CID/NAD) + INF (the APDU) +
 * epilogue CRC_A (2 bytes); each byte is 9 bits on air (8 data + odd parity, ISO 14443-3 §6.2.3.1)
 * plus start and end of frame (2 bit times). Each exchange adds two frame delay times of
 * 1172/fc (ISO 14443-3 §6.2.1.1 minimum, reader → card and card → reader turnaround). The card's own
 * processing (bounded by its FWT) is not air time and is not counted. FSD/FSC 256 (no chaining).
 * Card activation (REQA, anticollision, RATS) is outside the model: it precedes every tap alike.
 *
 * @param carrierHz fc, 13.56 MHz
 * @param bitClocks carrier cycles per bit, 128 (106 kbit/s)
 * @param bitsPerByte 9 with parity
 * @param frameBits SOF + EOF, 2
 * @param blockOverheadBytes PCB + CRC_A, 3
 * @param frameDelayClocks 1172 per direction
 */
public record AirTimeModel(double carrierHz, int bitClocks, int bitsPerByte, int frameBits, int blockOverheadBytes,
    int frameDelayClocks) {

  /** The ISO 14443-A 106 kbit/s figures above. */
  public static AirTimeModel iso14443a106() {
    return new AirTimeModel(13.56e6, 128, 9, 2, 3, 1172);
  }

  /** Air time in microseconds of one exchange: command of {@code toCard} bytes, response of {@code fromCard}. */
  public double exchangeMicros(int toCardBytes, int fromCardBytes) {
    double bitMicros = bitClocks / carrierHz * 1e6;
    double frames = frameMicros(toCardBytes, bitMicros) + frameMicros(fromCardBytes, bitMicros);
    return frames + 2 * frameDelayClocks / carrierHz * 1e6;
  }

  private double frameMicros(int apduBytes, double bitMicros) {
    return ((apduBytes + blockOverheadBytes) * bitsPerByte + frameBits) * bitMicros;
  }
}
