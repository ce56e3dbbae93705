package io.iotpay.foundation.crypto;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The one BouncyCastle provider instance. It is passed to every {@code getInstance} call rather
 * than installed globally, so iotpay never changes the JVM's provider list for its host.
 */
final class Providers {
  static final Provider BC = new BouncyCastleProvider();

  private Providers() {}
}
