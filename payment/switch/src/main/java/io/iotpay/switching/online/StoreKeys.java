package io.iotpay.switching.online;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.RecordSeal;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.protocol.Pan;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The switch's keys for what it stores: a key for the PAN hash the log and the limits use (so a
 * card is recognised without its number being kept), and a key that seals queued advices (they
 * must carry the full PAN to the issuer, so the queue holds them encrypted and MACed).
 * Host-side algorithms of the suite: AES or SM4 (CBC, random IV) and AES-CMAC or SM4-CMAC.
 */
public final class StoreKeys {
  private final AlgorithmSuite suite;
  private final SecretKeyBytes panHashKey;
  private final RecordSeal seal;

  /** Three distinct 16-byte keys. */
  public StoreKeys(AlgorithmSuite suite, SecretKeyBytes panHashKey, SecretKeyBytes sealKey, SecretKeyBytes sealMacKey) {
    this.suite = Assert.notNull(suite, "suite");
    this.panHashKey = Assert.notNull(panHashKey, "panHashKey");
    Assert.notNull(sealKey, "sealKey");
    Assert.notNull(sealMacKey, "sealMacKey");
    Assert.that(!panHashKey.equals(sealKey) && !sealKey.equals(sealMacKey) && !panHashKey.equals(sealMacKey),
        "store keys must be distinct");
    this.seal = new RecordSeal(suite, sealKey, sealMacKey);
  }

  /** The keyed hash of a PAN, 32 hex characters: the same card always gives the same value. */
  public String panHash(Pan pan) {
    byte[] mac = suite.mac().mac(panHashKey, pan.digits().getBytes(StandardCharsets.US_ASCII), null);
    return HexFormat.of().formatHex(mac);
  }

  /** IV, ciphertext (padding method 2) and a MAC over both ({@link RecordSeal}). */
  byte[] seal(byte[] plain) {
    return seal.seal(plain);
  }

  /** The plain bytes, or empty when the MAC does not verify (a damaged or foreign row). */
  Optional<byte[]> open(byte[] sealed) {
    return seal.open(sealed);
  }

  @Override
  public String toString() {
    return "StoreKeys[" + suite + "]";
  }
}
