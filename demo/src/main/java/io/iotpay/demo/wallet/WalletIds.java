package io.iotpay.demo.wallet;

import java.nio.ByteBuffer;

/** Card and POS ids of the demo: 8 bytes, cards {@code 62 10 …}, POSes {@code 50 00 …}. */
public final class WalletIds {
  private WalletIds() {}

  public static byte[] card(long n) {
    return ByteBuffer.allocate(8).putLong(0x6210_0000_0000_0000L + n).array();
  }

  public static byte[] pos(long n) {
    return ByteBuffer.allocate(8).putLong(0x5000_0000_0000_0000L + n).array();
  }
}
