package io.iotpay.issuer.authorisation.card;

import io.iotpay.foundation.codec.Bcd;
import io.iotpay.foundation.codec.CodecException;
import io.iotpay.foundation.crypto.EmvCryptograms;
import io.iotpay.foundation.codec.Tlv;
import io.iotpay.protocol.iso8583.IccData;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the host needs from request field 55 (as the POS kernel sends it, docs/pos-kernel.md §5):
 * the ARQC, the ATC, and the cryptogram input rebuilt as the card built it — CDOL1 data (the tags
 * of docs/emv-card-apdus.md's CDOL1, in its order) ‖ AIP ‖ ATC ‖ IAD.
 *
 * <p>Field 55 reaches the host already bounded and parsed by {@code IccData}; this only picks tags.
 *
 * @param arqc 9F26, 8 bytes
 * @param atc 9F36
 * @param cryptogramInput what the ARQC MACs
 * @param amountMinor 9F02, the amount the cryptogram covers
 */
record ChipData(byte[] arqc, int atc, byte[] cryptogramInput, long amountMinor) {
  /** CDOL1 of our cards: tag and length, in order (docs/emv-card-apdus.md, "CDOL1 (8C)"). */
  private static final int[][] CDOL1 = {
      {0x9F02, 6}, {0x9F03, 6}, {0x9F1A, 2}, {0x95, 5}, {0x5F2A, 2}, {0x9A, 3}, {0x9C, 1}, {0x9F37, 4}};
  private static final int IAD_BYTES_MAX = 32;

  /** The chip data of {@code icc}, or empty when a tag is missing or has the wrong length. */
  static Optional<ChipData> of(IccData icc) {
    if (icc == null) {
      return Optional.empty();
    }
    Map<Integer, byte[]> tags = new HashMap<>();
    for (Tlv tlv : icc.objects()) {
      if (tlv instanceof Tlv.Primitive p) {
        tags.putIfAbsent(p.tag().value(), p.value());
      }
    }
    byte[] arqc = tags.get(0x9F26);
    byte[] atc = tags.get(0x9F36);
    byte[] aip = tags.get(0x82);
    byte[] iad = tags.get(0x9F10);
    if (!hasLength(arqc, EmvCryptograms.CRYPTOGRAM_LENGTH_BYTES) || !hasLength(atc, 2) || !hasLength(aip, 2)
        || iad == null || iad.length > IAD_BYTES_MAX) {
      return Optional.empty();
    }
    ByteArrayOutputStream cdol = new ByteArrayOutputStream(29);
    for (int[] entry : CDOL1) {
      byte[] value = tags.get(entry[0]);
      if (!hasLength(value, entry[1])) {
        return Optional.empty();
      }
      cdol.writeBytes(value);
    }
    long amountMinor;
    try {
      amountMinor = Bcd.decodeAmount(tags.get(0x9F02));
    } catch (CodecException e) {
      return Optional.empty(); // 9F02 is not n12
    }
    int atcValue = ((atc[0] & 0xFF) << 8) | (atc[1] & 0xFF);
    return Optional.of(new ChipData(arqc, atcValue,
        EmvCryptograms.cryptogramInput(cdol.toByteArray(), aip, atcValue, iad), amountMinor));
  }

  private static boolean hasLength(byte[] value, int lengthBytes) {
    return value != null && value.length == lengthBytes;
  }
}
