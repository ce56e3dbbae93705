package io.iotpay.foundation.custody;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.BlockCipherAlgorithm;
import io.iotpay.foundation.crypto.MacAlgorithm;
import io.iotpay.foundation.crypto.MacPadding;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.custody.KeyCustodyException.Reason;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Arrays;
import org.bouncycastle.crypto.BlockCipher;

/** Clear key material in the software custody's memory: a secret key's bytes or a key pair. */
final class SoftwareMaterial implements KeyMaterial {
  /** Bytes of the ISO 8583 message MAC (field 128). */
  static final int MESSAGE_MAC_BYTES = 8;

  private final AlgorithmSuite suite;
  private final BlockCipherAlgorithm cipher;
  private final byte[] secret;
  private final KeyPair keyPair;

  private SoftwareMaterial(AlgorithmSuite suite, BlockCipherAlgorithm cipher, byte[] secret, KeyPair keyPair) {
    this.suite = suite;
    this.cipher = cipher;
    this.secret = secret;
    this.keyPair = keyPair;
  }

  /** Takes {@code secret} (the material owns the array and zeroises it on destroy). */
  static SoftwareMaterial secret(AlgorithmSuite suite, BlockCipherAlgorithm cipher, byte[] secret) {
    cipher.checkKey(new SecretKeyBytes(secret));
    return new SoftwareMaterial(suite, cipher, secret, null);
  }

  static SoftwareMaterial keyPair(AlgorithmSuite suite, KeyPair keyPair) {
    return new SoftwareMaterial(suite, null, null, keyPair);
  }

  boolean isKeyPair() {
    return keyPair != null;
  }

  /** The bytes the sealed file stores: the secret, or the PKCS#8 private key (public key apart). */
  byte[] secretForSealing() {
    return secret != null ? secret.clone() : keyPair.getPrivate().getEncoded();
  }

  @Override
  public BlockCipher boundEngine() {
    if (secret == null) {
      throw new KeyCustodyException(Reason.UNSUPPORTED, "a key pair is not a block cipher key");
    }
    return new BoundEngine(cipher.newEngine(), secret);
  }

  @Override
  public byte[] messageMac(byte[] data) {
    SecretKeyBytes key = clearKey();
    // The formula of io.iotpay.protocol.iso8583.MessageMac, from the same foundation primitives.
    return switch (suite) {
      case INTERNATIONAL -> MacAlgorithm.ISO9797_1_M3.mac(key, data, MacPadding.METHOD_2);
      case NATIONAL -> Arrays.copyOf(MacAlgorithm.pbocSm4Block(key, null, data), MESSAGE_MAC_BYTES);
    };
  }

  @Override
  public byte[] sign(byte[] data) {
    if (keyPair == null) {
      throw new KeyCustodyException(Reason.UNSUPPORTED, "a secret key does not sign");
    }
    return suite.signature().sign(keyPair.getPrivate(), data);
  }

  @Override
  public PublicKey publicKey() {
    if (keyPair == null) {
      throw new KeyCustodyException(Reason.UNSUPPORTED, "a secret key has no public half");
    }
    return keyPair.getPublic();
  }

  @Override
  public SecretKeyBytes clearKey() {
    if (secret == null) {
      throw new KeyCustodyException(Reason.UNSUPPORTED, "a key pair is not a block cipher key");
    }
    return new SecretKeyBytes(secret);
  }

  @Override
  public void destroy() {
    if (secret != null) {
      Arrays.fill(secret, (byte) 0);
    }
    // JCA private keys cannot be overwritten portably; the references are dropped with the slot.
  }
}
