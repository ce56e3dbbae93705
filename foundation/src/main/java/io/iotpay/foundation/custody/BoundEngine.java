package io.iotpay.foundation.custody;

import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.CipherParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * A BouncyCastle engine keyed with the software custody's clear key whatever parameters {@code
 * init} is given (see {@link KeyMaterial#boundEngine}). The key array is the custody's own and is
 * overwritten when the key is destroyed.
 */
final class BoundEngine implements BlockCipher {
  /** Parameters handed to constructions that insist on some; bound engines ignore them. */
  static final KeyParameter IGNORED = new KeyParameter(new byte[16]);

  private final BlockCipher delegate;
  private final byte[] key;

  BoundEngine(BlockCipher delegate, byte[] key) {
    this.delegate = delegate;
    this.key = key;
  }

  @Override
  public void init(boolean forEncryption, CipherParameters ignored) {
    delegate.init(forEncryption, new KeyParameter(key));
  }

  @Override
  public String getAlgorithmName() {
    return delegate.getAlgorithmName();
  }

  @Override
  public int getBlockSize() {
    return delegate.getBlockSize();
  }

  @Override
  public int processBlock(byte[] in, int inOff, byte[] out, int outOff) {
    return delegate.processBlock(in, inOff, out, outOff);
  }

  @Override
  public void reset() {
    delegate.reset();
  }
}
