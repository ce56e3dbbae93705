package io.iotpay.protocol.iso8583;

import static io.iotpay.protocol.iso8583.Iso8583Exception.Reason.FIELD_INVALID;

import io.iotpay.foundation.codec.BerTlv;
import io.iotpay.foundation.codec.CodecException;
import io.iotpay.foundation.codec.Tlv;
import io.iotpay.foundation.codec.TlvLimits;
import java.util.Arrays;
import java.util.List;

/**
 * Field 55: the chip data (EMV/PBOC tags such as 9F26 ARQC, 9F10 IAD, 91 ARPC) as BER-TLV, at most
 * {@link Iso8583Limits#ICC_DATA_BYTES_MAX} bytes, checked to parse as TLV (iteratively, depth
 * bounded) when it is built.
 *
 * @param value the TLV bytes (copied in and out)
 */
public record IccData(byte[] value) {
  /** Chip data nests one constructed level at most (e.g. 71/72 scripts); 4 leaves room and bounds work. */
  private static final TlvLimits LIMITS = TlvLimits.DEFAULT.withDepthMax(4)
      .withValueBytesMax(Iso8583Limits.ICC_DATA_BYTES_MAX);

  /** @throws Iso8583Exception FIELD_INVALID when empty, over the bound or not BER-TLV */
  public IccData {
    if (value == null || value.length == 0 || value.length > Iso8583Limits.ICC_DATA_BYTES_MAX) {
      throw new Iso8583Exception(FIELD_INVALID,
          "field 55 must be 1.." + Iso8583Limits.ICC_DATA_BYTES_MAX + " bytes");
    }
    try {
      BerTlv.parse(value, LIMITS);
    } catch (CodecException e) {
      throw new Iso8583Exception(FIELD_INVALID, "field 55 is not BER-TLV: " + e.getMessage(), e);
    }
    value = value.clone();
  }

  /** The chip data of {@code objects}. */
  public static IccData of(List<Tlv> objects) {
    return new IccData(BerTlv.encode(objects));
  }

  /** The TLV objects, in order. */
  public List<Tlv> objects() {
    return BerTlv.parse(value, LIMITS);
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof IccData that && Arrays.equals(value, that.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    // Chip data may carry the PAN (tags 5A, 57): only its size reaches a log.
    return "IccData[" + value.length + " bytes]";
  }
}
