package io.iotpay.issuer.card;

import io.iotpay.foundation.codec.Bytes;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.MacAlgorithm;
import io.iotpay.foundation.crypto.MacPadding;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.protocol.transit.TransitTac;
import java.util.Arrays;

/**
 * The host side of the card's formulas (docs/card-apdus.md §6): counter session keys and the card
 * MAC for Push PUT DATA MACs; the TAC is {@link TransitTac}'s.
 */
public final class CardCrypto {
  /** Bytes of a TAC / AC and of the Push MAC the issuer sends. */
  public static final int MAC_BYTES = 8;

  private CardCrypto() {}

  /**
   * Counter session key (EMV Book 2 A1.3 "common session key"): 3DES {@code E(C‖F0‖00×5) ‖
   * E(C‖0F‖00×5)}; SM4 {@code E(C‖F0‖00×13)}.
   */
  public static SecretKeyBytes counterKey(AlgorithmSuite suite, SecretKeyBytes masterKey, int counter) {
    byte[] block = new byte[suite.cardBlockCipher().blockSizeBytes()];
    block[0] = (byte) (counter >>> 8);
    block[1] = (byte) counter;
    block[2] = (byte) 0xF0;
    return switch (suite) {
      case INTERNATIONAL -> {
        byte[] second = block.clone();
        second[2] = 0x0F;
        yield new SecretKeyBytes(Bytes.concat(
            suite.cardBlockCipher().encryptBlock(masterKey, block), suite.cardBlockCipher().encryptBlock(masterKey, second)));
      }
      case NATIONAL -> new SecretKeyBytes(suite.cardBlockCipher().encryptBlock(masterKey, block));
    };
  }

  /**
   * The card MAC, first 8 bytes: ISO 9797-1 algorithm 3 (3DES) or algorithm 1 with SM4, padding
   * method 2, zero ICV.
   */
  public static byte[] mac(AlgorithmSuite suite, SecretKeyBytes key, byte[] data) {
    return switch (suite) {
      case INTERNATIONAL -> MacAlgorithm.ISO9797_1_M3.mac(key, data, MacPadding.METHOD_2);
      case NATIONAL -> Arrays.copyOf(MacAlgorithm.pbocSm4Block(key, null, data), MAC_BYTES);
    };
  }

  /** The TAC/AC the card computes over {@code cryptogramInput} for {@code atc} ({@link TransitTac}). */
  public static byte[] tac(AlgorithmSuite suite, SecretKeyBytes acKey, int atc, byte[] cryptogramInput) {
    return TransitTac.tac(suite, acKey.value(), atc, cryptogramInput);
  }
}
