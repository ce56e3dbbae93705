package io.iotpay.ledger.audit;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Locale;

/**
 * A signed statement "the log held {@code treeSize} leaves with head {@code rootHash} at
 * {@code timestampMs}". The signature covers {@link #signedBytes()}: a short UTF-8 text (format in
 * {@code docs/audit.md}) naming every field, so no field can be changed or moved to another
 * checkpoint without breaking it.
 *
 * <p>Byte arrays are not copied; treat them as read-only. Equality is by field value.
 *
 * @param number 1 for the log's first checkpoint, then consecutive
 * @param keyId {@link #keyIdOf} of the public key that verifies the signature
 * @param signature DER-encoded ECDSA or SM2 signature of {@link #signedBytes()}
 */
public record Checkpoint(
    long number, long treeSize, byte[] rootHash, long timestampMs, AlgorithmSuite suite, String keyId, byte[] signature) {
  /** First line of the signed text; changes if the text's layout ever changes. */
  public static final String SIGNED_FORMAT = "iotpay-audit-checkpoint/1";

  /** The bytes the signature covers. */
  public byte[] signedBytes() {
    return signedBytes(number, treeSize, rootHash, timestampMs, suite, keyId);
  }

  /** The bytes a checkpoint with these fields signs. */
  public static byte[] signedBytes(long number, long treeSize, byte[] rootHash, long timestampMs, AlgorithmSuite suite, String keyId) {
    String text =
        SIGNED_FORMAT
            + "\nnumber " + number
            + "\nsuite " + suite.name()
            + "\nkey " + keyId
            + "\nsize " + treeSize
            + "\nroot " + Hex.encode(rootHash)
            + "\ntime " + timestampMs
            + "\n";
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** True when the signature verifies under {@code publicKey} with this checkpoint's suite. */
  public boolean signatureValidUnder(PublicKey publicKey) {
    return suite.signature().verify(publicKey, signedBytes(), signature);
  }

  /**
   * A public key's id: the first 8 bytes of the suite's hash of its X.509 DER encoding, in
   * lower-case hex. Short enough to read, long enough that distinct keys of one log never collide.
   */
  public static String keyIdOf(AlgorithmSuite suite, byte[] publicKeyDer) {
    return Hex.encode(Arrays.copyOf(suite.digest().digest(publicKeyDer), 8)).toLowerCase(Locale.ROOT);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Checkpoint that
        && number == that.number
        && treeSize == that.treeSize
        && timestampMs == that.timestampMs
        && suite == that.suite
        && keyId.equals(that.keyId)
        && Arrays.equals(rootHash, that.rootHash)
        && Arrays.equals(signature, that.signature);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(number) * 31 + Arrays.hashCode(rootHash);
  }

  @Override
  public String toString() {
    return "Checkpoint[number=" + number + ", treeSize=" + treeSize + ", root=" + Hex.encode(rootHash) + ", timestampMs="
        + timestampMs + ", suite=" + suite + ", keyId=" + keyId + "]";
  }
}
