package io.iotpay.foundation.codec;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A response APDU (ISO/IEC 7816-4 §5.1): response data followed by the status bytes SW1 SW2.
 *
 * @param data response data, not null, empty for none; at most {@link #DATA_BYTES_MAX} (copied)
 * @param sw the status word SW1SW2 as an unsigned 16-bit value; SW1 must be 61..6F or 90..9F
 */
public record ResponseApdu(byte[] data, int sw) {
  /** Most response data bytes (extended Ne 65 536). */
  public static final int DATA_BYTES_MAX = 65_536;

  /**
   * @throws ApduException if the data is too long or SW1 is not a valid status byte
   */
  public ResponseApdu {
    Objects.requireNonNull(data, "data");
    if (data.length > DATA_BYTES_MAX) {
      throw new ApduException("response data of " + data.length + " bytes is above " + DATA_BYTES_MAX);
    }
    if (sw < 0 || sw > 0xFFFF) {
      throw new ApduException("status word " + sw + " is not 16 bits");
    }
    int sw1 = sw >>> 8;
    // ISO/IEC 7816-4 §5.1.3: SW1 is 6X (not 60, the T=0 procedure byte) or 9X.
    if (!(sw1 >= 0x61 && sw1 <= 0x6F) && !(sw1 >= 0x90 && sw1 <= 0x9F)) {
      throw new ApduException(String.format("SW1 %02X is not a status byte (61..6F or 90..9F)", sw1));
    }
    data = data.clone();
  }

  /** A response with data and SW 9000. */
  public static ResponseApdu ok(byte[] data) {
    return new ResponseApdu(data, 0x9000);
  }

  /**
   * Parses a response: everything but the last two bytes is data.
   *
   * @throws ApduException if there are fewer than two bytes or the status bytes are invalid
   */
  public static ResponseApdu parse(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length < 2) {
      throw new ApduException("response of " + bytes.length + " bytes lacks SW1 SW2");
    }
    int end = bytes.length - 2;
    int sw = ((bytes[end] & 0xFF) << 8) | (bytes[end + 1] & 0xFF);
    return new ResponseApdu(Arrays.copyOfRange(bytes, 0, end), sw);
  }

  /** A response from hex. @throws CodecException on bad hex or a malformed response */
  public static ResponseApdu parseHex(String hex) {
    return parse(Hex.decode(hex));
  }

  /** A copy of the response data. */
  @Override
  public byte[] data() {
    return data.clone();
  }

  /** SW1, the high status byte. */
  public int sw1() {
    return sw >>> 8;
  }

  /** SW2, the low status byte. */
  public int sw2() {
    return sw & 0xFF;
  }

  /** True for SW 9000. */
  public boolean isOk() {
    return sw == 0x9000;
  }

  /** The table entry for this SW, or empty when the table has none. */
  public Optional<StatusWord> status() {
    return StatusWord.lookup(sw);
  }

  /** The encoding: data then SW1 SW2; a new array. */
  public byte[] encode() {
    byte[] out = Arrays.copyOf(data, data.length + 2);
    out[data.length] = (byte) (sw >>> 8);
    out[data.length + 1] = (byte) sw;
    return out;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ResponseApdu that && sw == that.sw && Arrays.equals(data, that.data);
  }

  @Override
  public int hashCode() {
    return 31 * sw + Arrays.hashCode(data);
  }

  /** Length and SW only: response data may hold card secrets. */
  @Override
  public String toString() {
    return String.format("ResponseApdu[%d bytes, SW=%04X]", data.length, sw);
  }
}
