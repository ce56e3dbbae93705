package io.iotpay.protocol.iso8583;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.MacAlgorithm;
import io.iotpay.foundation.crypto.MacPadding;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Field 128, the message MAC under a link's zone authentication key (ZAK), over the message bytes
 * before field 128 (MTI, both bitmaps with bit 128 set, every other field):
 *
 * <ul>
 *   <li>{@link AlgorithmSuite#INTERNATIONAL}: ISO/IEC 9797-1 MAC algorithm 3 (the retail MAC,
 *       two-key 3DES), padding method 2, 8 bytes.
 *   <li>{@link AlgorithmSuite#NATIONAL}: the suite's card MAC, PBOC SM4 (padding method 2,
 *       SM4-CBC from zeros), leftmost 8 bytes of the last block.
 * </ul>
 */
public final class MessageMac {
  private MessageMac() {}

  /** The 8-byte MAC of {@code input} under {@code zak}. */
  public static byte[] compute(AlgorithmSuite suite, SecretKeyBytes zak, byte[] input) {
    return switch (suite) {
      case INTERNATIONAL -> MacAlgorithm.ISO9797_1_M3.mac(zak, input, MacPadding.METHOD_2);
      case NATIONAL -> Arrays.copyOf(MacAlgorithm.pbocSm4Block(zak, null, input), Iso8583Limits.MAC_BYTES);
    };
  }

  /** True when {@code mac} is the MAC of {@code input}; compared in constant time. */
  public static boolean verify(AlgorithmSuite suite, SecretKeyBytes zak, byte[] input, byte[] mac) {
    return MessageDigest.isEqual(compute(suite, zak, input), mac);
  }
}
