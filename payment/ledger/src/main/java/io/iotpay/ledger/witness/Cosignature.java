package io.iotpay.ledger.witness;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.ledger.audit.Checkpoint;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Arrays;

/**
 * A witness's statement "I verified that this log checkpoint extends every checkpoint of the log I
 * cosigned before, at {@code timestampMs}". Modelled on C2SP tlog-cosignature (cosignature/v1): the
 * signature covers a header naming the format and the witness's time, followed by the log's own
 * signed checkpoint text byte for byte:
 *
 * <pre>
 * iotpay-witness-cosignature/1
 * witness 0a1b2c3d4e5f6071
 * time 1795824000123
 * iotpay-audit-checkpoint/1
 * number 3
 * …(the rest of {@link Checkpoint#signedBytes()})
 * </pre>
 *
 * <p>Byte arrays are not copied; treat them as read-only.
 *
 * @param checkpoint the log's checkpoint, with the log's signature
 * @param witnessKeyId {@link Checkpoint#keyIdOf} of the witness's public key
 * @param timestampMs the witness's clock when it cosigned, epoch milliseconds
 * @param signature DER ECDSA or SM2 signature (the checkpoint's suite) of {@link #signedBytes()}
 */
public record Cosignature(Checkpoint checkpoint, String witnessKeyId, long timestampMs, byte[] signature) {
  /** First line of the signed text; changes if its layout ever changes. */
  public static final String SIGNED_FORMAT = "iotpay-witness-cosignature/1";

  /** The bytes the witness signs. */
  public byte[] signedBytes() {
    return signedBytes(checkpoint, witnessKeyId, timestampMs);
  }

  static byte[] signedBytes(Checkpoint checkpoint, String witnessKeyId, long timestampMs) {
    byte[] header = (SIGNED_FORMAT + "\nwitness " + witnessKeyId + "\ntime " + timestampMs + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] body = checkpoint.signedBytes();
    byte[] out = Arrays.copyOf(header, header.length + body.length);
    System.arraycopy(body, 0, out, header.length, body.length);
    return out;
  }

  /** The suite of the log, and so of the witness that cosigns it. */
  public AlgorithmSuite suite() {
    return checkpoint.suite();
  }

  /** True when the cosignature verifies under {@code witnessKey}. */
  public boolean validUnder(PublicKey witnessKey) {
    return checkpoint.suite().signature().verify(witnessKey, signedBytes(), signature);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Cosignature that && checkpoint.equals(that.checkpoint) && witnessKeyId.equals(that.witnessKeyId)
        && timestampMs == that.timestampMs && Arrays.equals(signature, that.signature);
  }

  @Override
  public int hashCode() {
    return checkpoint.hashCode() * 31 + Long.hashCode(timestampMs);
  }

  @Override
  public String toString() {
    return "Cosignature[checkpoint=" + checkpoint.number() + ", treeSize=" + checkpoint.treeSize() + ", witness=" + witnessKeyId
        + ", timestampMs=" + timestampMs + "]";
  }
}
