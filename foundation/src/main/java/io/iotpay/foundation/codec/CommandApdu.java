package io.iotpay.foundation.codec;

import java.util.Arrays;
import java.util.Objects;

/**
 * A command APDU (ISO/IEC 7816-4 §5.1): header CLA INS P1 P2, optional command data (Nc bytes)
 * and the number of response bytes expected (Ne).
 *
 * <p>Encoding picks the short form whenever both Nc ≤ 255 and Ne ≤ 256, else the extended form for
 * both fields, as §5.1 requires (one APDU does not mix forms). Ne = 256 is written as Le {@code 00}
 * and Ne = 65 536 as {@code 0000}. Parsing accepts either form and checks every length against the
 * bytes actually present.
 *
 * @param cla class byte, 0x00..0xFE (FF is invalid by §5.4.1)
 * @param ins instruction byte, 0x00..0xFF
 * @param p1 parameter 1, 0x00..0xFF
 * @param p2 parameter 2, 0x00..0xFF
 * @param data command data, not null, empty for none; at most {@link #NC_MAX} bytes (copied)
 * @param ne response bytes expected, 0 (no Le field) to {@link #NE_MAX}
 */
public record CommandApdu(int cla, int ins, int p1, int p2, byte[] data, int ne) {
  /** Most command data bytes an (extended) APDU carries. */
  public static final int NC_MAX = 65_535;
  /** Most response bytes an (extended) APDU may ask for. */
  public static final int NE_MAX = 65_536;

  private static final int SHORT_NC_MAX = 255;
  private static final int SHORT_NE_MAX = 256;
  private static final int HEADER_BYTES = 4;

  /**
   * @throws ApduException if a field is out of range
   */
  public CommandApdu {
    checkByte("CLA", cla);
    if (cla == 0xFF) {
      throw new ApduException("CLA FF is invalid (ISO/IEC 7816-4 §5.4.1)");
    }
    checkByte("INS", ins);
    checkByte("P1", p1);
    checkByte("P2", p2);
    Objects.requireNonNull(data, "data");
    if (data.length > NC_MAX) {
      throw new ApduException("command data of " + data.length + " bytes is above " + NC_MAX);
    }
    if (ne < 0 || ne > NE_MAX) {
      throw new ApduException("Ne " + ne + " outside 0.." + NE_MAX);
    }
    data = data.clone();
  }

  /** A case 1 or 3 command: no response data expected. */
  public static CommandApdu of(int cla, int ins, int p1, int p2, byte[] data) {
    return new CommandApdu(cla, ins, p1, p2, data, 0);
  }

  /** A command from its hex encoding. @throws CodecException on bad hex or a malformed APDU */
  public static CommandApdu parseHex(String hex) {
    return parse(Hex.decode(hex));
  }

  /**
   * Parses a command APDU by the length rules of ISO/IEC 7816-4 §5.1.
   *
   * @param bytes the whole APDU, not null
   * @throws ApduException naming the field if the lengths do not agree with the bytes present
   */
  public static CommandApdu parse(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length < HEADER_BYTES) {
      throw new ApduException("only " + bytes.length + " bytes, a header needs 4");
    }
    int cla = bytes[0] & 0xFF;
    int ins = bytes[1] & 0xFF;
    int p1 = bytes[2] & 0xFF;
    int p2 = bytes[3] & 0xFF;
    if (bytes.length == HEADER_BYTES) {
      return new CommandApdu(cla, ins, p1, p2, new byte[0], 0);
    }
    int b5 = bytes[HEADER_BYTES] & 0xFF;
    if (bytes.length == HEADER_BYTES + 1) {
      return new CommandApdu(cla, ins, p1, p2, new byte[0], b5 == 0 ? SHORT_NE_MAX : b5);
    }
    return b5 != 0 ? parseShortBody(bytes, cla, ins, p1, p2, b5) : parseExtendedBody(bytes, cla, ins, p1, p2);
  }

  private static CommandApdu parseShortBody(byte[] bytes, int cla, int ins, int p1, int p2, int nc) {
    int dataEnd = HEADER_BYTES + 1 + nc;
    if (bytes.length != dataEnd && bytes.length != dataEnd + 1) {
      throw new ApduException("short Lc " + nc + " at offset 4 needs " + dataEnd + " or " + (dataEnd + 1)
          + " bytes in all, got " + bytes.length);
    }
    byte[] data = Arrays.copyOfRange(bytes, HEADER_BYTES + 1, dataEnd);
    if (bytes.length == dataEnd) {
      return new CommandApdu(cla, ins, p1, p2, data, 0);
    }
    int le = bytes[dataEnd] & 0xFF;
    return new CommandApdu(cla, ins, p1, p2, data, le == 0 ? SHORT_NE_MAX : le);
  }

  private static CommandApdu parseExtendedBody(byte[] bytes, int cla, int ins, int p1, int p2) {
    if (bytes.length < HEADER_BYTES + 3) {
      throw new ApduException("extended-length marker 00 at offset 4 needs two more length bytes, got "
          + (bytes.length - HEADER_BYTES - 1));
    }
    int field = ((bytes[5] & 0xFF) << 8) | (bytes[6] & 0xFF);
    if (bytes.length == HEADER_BYTES + 3) {
      return new CommandApdu(cla, ins, p1, p2, new byte[0], field == 0 ? NE_MAX : field);
    }
    if (field == 0) {
      throw new ApduException("extended Lc 0000 at offset 4 is invalid (Nc must be 1..65535)");
    }
    int dataStart = HEADER_BYTES + 3;
    int dataEnd = dataStart + field;
    if (bytes.length == dataEnd) {
      return new CommandApdu(cla, ins, p1, p2, Arrays.copyOfRange(bytes, dataStart, dataEnd), 0);
    }
    if (bytes.length == dataEnd + 2) {
      int le = ((bytes[dataEnd] & 0xFF) << 8) | (bytes[dataEnd + 1] & 0xFF);
      return new CommandApdu(cla, ins, p1, p2, Arrays.copyOfRange(bytes, dataStart, dataEnd), le == 0 ? NE_MAX : le);
    }
    throw new ApduException("extended Lc " + field + " at offset 4 needs " + dataEnd + " or " + (dataEnd + 2)
        + " bytes in all, got " + bytes.length);
  }

  /** A copy of the command data; empty when there is none. */
  @Override
  public byte[] data() {
    return data.clone();
  }

  /** Number of command data bytes (Nc). */
  public int nc() {
    return data.length;
  }

  /** Which ISO/IEC 7816-4 case this command is, with the length form {@link #encode()} uses. */
  public ApduCase apduCase() {
    boolean extended = data.length > SHORT_NC_MAX || ne > SHORT_NE_MAX;
    if (data.length == 0) {
      if (ne == 0) {
        return ApduCase.CASE_1;
      }
      return extended ? ApduCase.CASE_2E : ApduCase.CASE_2S;
    }
    if (ne == 0) {
      return extended ? ApduCase.CASE_3E : ApduCase.CASE_3S;
    }
    return extended ? ApduCase.CASE_4E : ApduCase.CASE_4S;
  }

  /** The encoding; a new array each call. */
  public byte[] encode() {
    ApduCase apduCase = apduCase();
    byte[] out = new byte[encodedLength(apduCase)];
    out[0] = (byte) cla;
    out[1] = (byte) ins;
    out[2] = (byte) p1;
    out[3] = (byte) p2;
    int at = HEADER_BYTES;
    switch (apduCase) {
      case CASE_1 -> { }
      case CASE_2S -> out[at] = (byte) ne;
      case CASE_3S -> at = writeShortData(out, at);
      case CASE_4S -> out[writeShortData(out, at)] = (byte) ne;
      case CASE_2E -> writeTwo(out, at + 1, ne);
      case CASE_3E -> at = writeExtendedData(out, at);
      case CASE_4E -> writeTwo(out, writeExtendedData(out, at), ne);
    }
    return out;
  }

  /** Upper-case hex of {@link #encode()}. */
  public String toHex() {
    return Hex.encode(encode());
  }

  private int encodedLength(ApduCase apduCase) {
    return HEADER_BYTES + switch (apduCase) {
      case CASE_1 -> 0;
      case CASE_2S -> 1;
      case CASE_3S -> 1 + data.length;
      case CASE_4S -> 2 + data.length;
      case CASE_2E -> 3;
      case CASE_3E -> 3 + data.length;
      case CASE_4E -> 5 + data.length;
    };
  }

  private int writeShortData(byte[] out, int at) {
    out[at] = (byte) data.length;
    System.arraycopy(data, 0, out, at + 1, data.length);
    return at + 1 + data.length;
  }

  private int writeExtendedData(byte[] out, int at) {
    out[at] = 0;
    writeTwo(out, at + 1, data.length);
    System.arraycopy(data, 0, out, at + 3, data.length);
    return at + 3 + data.length;
  }

  /** Writes a 16-bit length; 65 536 (and 256 in short form) wrap to zero as §5.1 prescribes. */
  private static void writeTwo(byte[] out, int at, int value) {
    out[at] = (byte) (value >>> 8);
    out[at + 1] = (byte) value;
  }

  private static void checkByte(String field, int value) {
    if (value < 0 || value > 0xFF) {
      throw new ApduException(field + " " + value + " is not a byte (0..255)");
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CommandApdu that
        && cla == that.cla && ins == that.ins && p1 == that.p1 && p2 == that.p2
        && ne == that.ne && Arrays.equals(data, that.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(cla, ins, p1, p2, ne, Arrays.hashCode(data));
  }

  /** Header, Nc and Ne only: command data may hold a PIN block or keys, which must not be logged. */
  @Override
  public String toString() {
    return String.format("CommandApdu[%02X %02X %02X %02X, Nc=%d, Ne=%d]", cla, ins, p1, p2, data.length, ne);
  }
}
