package io.iotpay.foundation.crypto;

import java.util.Arrays;

/** Padding methods of ISO/IEC 9797-1 §6.3 used before a CBC-MAC. */
public enum MacPadding {
  /**
   * Method 1: append as few zero bytes as needed to fill the last block (none when the data is
   * already whole blocks). Empty data becomes one zero block, as ISO/IEC 9797-1:2011 requires.
   */
  METHOD_1,
  /** Method 2: append one {@code 80} byte, then as few zero bytes as needed (ISO/IEC 7816-4 style). */
  METHOD_2;

  /** {@code data} padded to a multiple of {@code blockSizeBytes}; a new array. */
  public byte[] pad(byte[] data, int blockSizeBytes) {
    return switch (this) {
      case METHOD_1 -> {
        int blocks = Math.max(1, (data.length + blockSizeBytes - 1) / blockSizeBytes);
        yield Arrays.copyOf(data, blocks * blockSizeBytes);
      }
      case METHOD_2 -> {
        int blocks = data.length / blockSizeBytes + 1;
        byte[] out = Arrays.copyOf(data, blocks * blockSizeBytes);
        out[data.length] = (byte) 0x80;
        yield out;
      }
    };
  }

  /**
   * Method 1 or 2 by its number in ISO/IEC 9797-1.
   *
   * @throws CryptoException for any other number
   */
  public static MacPadding byNumber(int number) {
    return switch (number) {
      case 1 -> METHOD_1;
      case 2 -> METHOD_2;
      default -> throw new CryptoException("unknown MAC padding method " + number + " (expected 1 or 2)");
    };
  }
}
