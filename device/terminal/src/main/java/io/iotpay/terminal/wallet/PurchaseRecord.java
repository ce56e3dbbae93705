package io.iotpay.terminal.wallet;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What the POS keeps for one purchase: the card's signed debit and the PSAM's countersignature
 * over {@link #countersignInput()} with the PSAM's sequence number (docs/wallet-apdus.md §4.4).
 *
 * @param recovered true when the DEBIT response was lost and the record came from the card's log
 */
public record PurchaseRecord(CardDebit debit, long psamSequence, byte[] psamSignature, boolean recovered) {
  static final byte INPUT_COUNTERSIGN = 0x31;

  public PurchaseRecord {
    psamSignature = psamSignature.clone();
  }

  /** 31 || PSAM sequence (4) || DEBIT input (51). */
  public byte[] countersignInput() {
    return ByteBuffer.allocate(5 + CardDebit.INPUT_LENGTH).put(INPUT_COUNTERSIGN).putInt((int) psamSequence)
        .put(debit.signatureInput()).array();
  }

  @Override
  public byte[] psamSignature() {
    return psamSignature.clone();
  }

  /** The total the cardholder paid: offline part plus online part. */
  public long totalMinor() {
    return debit.offlineMinor() + debit.onlineMinor();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PurchaseRecord r && debit.equals(r.debit) && psamSequence == r.psamSequence
        && Arrays.equals(psamSignature, r.psamSignature) && recovered == r.recovered;
  }

  @Override
  public int hashCode() {
    return debit.hashCode() * 31 + Long.hashCode(psamSequence);
  }

  @Override
  public String toString() {
    return "PurchaseRecord[" + debit + ", psamSequence=" + psamSequence + ", recovered=" + recovered + "]";
  }
}
