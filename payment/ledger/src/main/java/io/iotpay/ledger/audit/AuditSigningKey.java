package io.iotpay.ledger.audit;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;

/**
 * A party's audit-log signing key pair (ECDSA P-256 or SM2) as {@code key=value} lines of the
 * party's sealed keys (the private key as PKCS#8 DER, the public key as X.509 DER, both in hex),
 * and the public key as the PEM file an auditor passes to {@code iotpay audit verify --public-key}.
 * The lines are only ever written into a sealed store (docs/parties.md).
 */
public final class AuditSigningKey {
  public static final String PRIVATE = "audit.private";
  public static final String PUBLIC = "audit.public";
  /** The public key's file in a party's data directory. */
  public static final String PUBLIC_KEY_FILE = "audit-public-key.pem";

  private AuditSigningKey() {}

  /** A new key pair of {@code suite} as the two lines {@link #PRIVATE} and {@link #PUBLIC}. */
  public static String newLines(AlgorithmSuite suite, SecureRandom random) {
    KeyPair pair = suite.signature().generateKeyPair(random);
    return PRIVATE + "=" + Hex.encode(pair.getPrivate().getEncoded()) + "\n" + PUBLIC + "=" + Hex.encode(pair.getPublic().getEncoded())
        + "\n";
  }

  /** The key pair from the two values. */
  public static KeyPair keyPair(AlgorithmSuite suite, String privateHex, String publicHex) {
    return new KeyPair(suite.signature().publicKeyFromDer(Hex.decode(publicHex)),
        suite.signature().privateKeyFromDer(Hex.decode(privateHex)));
  }

  /** The public key in PEM (what {@link #PUBLIC_KEY_FILE} holds). */
  public static String publicKeyPem(String publicHex) {
    return PublicKeyPem.encode(Hex.decode(publicHex));
  }

  /** Where a party's data directory keeps the public key. */
  public static Path publicKeyFile(Path dataDir) {
    return dataDir.resolve(PUBLIC_KEY_FILE);
  }
}
