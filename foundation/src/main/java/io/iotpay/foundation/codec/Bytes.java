package io.iotpay.foundation.codec;

/** General byte array helpers every party shares. */
public final class Bytes {
  private Bytes() {}

  /**
   * The parts one after the other in a new array.
   *
   * @param parts never null, no null part
   * @throws ArithmeticException when the total length overflows an int
   */
  public static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length = Math.addExact(length, part.length);
    }
    byte[] out = new byte[length];
    int offset = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, offset, part.length);
      offset += part.length;
    }
    return out;
  }
}
