package io.iotpay.protocol.qr;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * CRC-16/CCITT-FALSE, the checksum of EMV QRCPS MPM data object 63: polynomial 0x1021, initial value
 * 0xFFFF, no reflection of input or output, no final XOR (ISO/IEC 13239 as the spec names it).
 */
public final class Crc16 {
  private static final int POLYNOMIAL = 0x1021;
  private static final int INITIAL = 0xFFFF;

  private Crc16() {}

  /** The CRC of these bytes, 0..0xFFFF. */
  public static int of(byte[] bytes) {
    int crc = INITIAL;
    for (byte b : bytes) {
      crc ^= (b & 0xFF) << 8;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ POLYNOMIAL : crc << 1;
      }
      crc &= 0xFFFF;
    }
    return crc;
  }

  /** Four upper-case hex digits, leading zeros kept, of the CRC of the text's UTF-8 bytes. */
  public static String hexOfUtf8(String text) {
    return String.format(Locale.ROOT, "%04X", of(text.getBytes(StandardCharsets.UTF_8)));
  }
}
