package io.iotpay.platform.identity;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** This package's BouncyCastle provider, passed explicitly, never installed in the JVM's list. */
final class Bc {
  static final Provider PROVIDER = new BouncyCastleProvider();

  private Bc() {}
}
