package io.iotpay.protocol.qr;

import io.iotpay.foundation.codec.BerTlv;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.codec.Tag;
import io.iotpay.foundation.codec.Tlv;
import io.iotpay.foundation.codec.TlvLimits;
import java.nio.ByteBuffer;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The chip data of a consumer-presented payment code, as the phone's payment-token applet made it:
 * the moment the code was made (9A date, 9F21 time, UTC), the unpredictable number (9F37), the
 * token's ATC (9F36) and the application cryptogram (9F26) over {@code date ‖ time ‖ UN ‖ ATC}.
 * The same objects travel in the code's transparent template 63 and, unchanged, in ISO 8583 field
 * 55 of the merchant's authorisation, so the issuer rebuilds the cryptogram input from what it
 * received. docs/qr.md, "Consumer-presented flow".
 *
 * @param madeAt when the code was made, whole seconds, UTC
 * @param unpredictableNumber 4 bytes from the phone's random source
 * @param atc the token's application transaction counter, 1..65,535
 * @param cryptogram 8 bytes
 */
public record QrPaymentData(Instant madeAt, byte[] unpredictableNumber, int atc, byte[] cryptogram) {
  public static final Tag DATE = Tag.of(0x9A);
  public static final Tag TIME = Tag.of(0x9F21);
  public static final Tag UNPREDICTABLE_NUMBER = Tag.of(0x9F37);
  public static final Tag ATC = Tag.of(0x9F36);
  public static final Tag CRYPTOGRAM = Tag.of(0x9F26);
  /** Field 55 of a QR authorisation is these five objects: 3 + 3 + 4 + 2 + 8 bytes and their headers. */
  public static final int FIELD_55_BYTES_MAX = 64;
  private static final DateTimeFormatter BCD_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss");

  public QrPaymentData {
    if (unpredictableNumber == null || unpredictableNumber.length != 4 || cryptogram == null
        || cryptogram.length != 8 || atc < 1 || atc > 0xFFFF || madeAt == null) {
      throw new QrException(QrError.VALUE_FORMAT, "63", "payment data: UN 4 bytes, ATC 1..65535, cryptogram 8 bytes");
    }
    unpredictableNumber = unpredictableNumber.clone();
    cryptogram = cryptogram.clone();
  }

  /** The 10 bytes the applet is given: date (3) ‖ time (3) ‖ UN (4), BCD, UTC. */
  public static byte[] codeData(Instant madeAt, byte[] unpredictableNumber) {
    byte[] bcd = Hex.decode(BCD_TIME.format(LocalDateTime.ofInstant(madeAt, ZoneOffset.UTC)));
    return ByteBuffer.allocate(10).put(bcd).put(unpredictableNumber).array();
  }

  /** What the cryptogram covers: {@code date ‖ time ‖ UN ‖ ATC}. */
  public byte[] cryptogramInput() {
    return ByteBuffer.allocate(12).put(codeData(madeAt, unpredictableNumber)).putShort((short) atc).array();
  }

  /** The five objects, in the order above, for template 63 and field 55. */
  public List<Tlv> objects() {
    byte[] data = codeData(madeAt, unpredictableNumber);
    return List.of(Tlv.primitive(DATE, Arrays.copyOfRange(data, 0, 3)), Tlv.primitive(TIME, Arrays.copyOfRange(data, 3, 6)),
        Tlv.primitive(UNPREDICTABLE_NUMBER, unpredictableNumber), Tlv.primitive(ATC, new byte[] {(byte) (atc >> 8),
            (byte) atc}), Tlv.primitive(CRYPTOGRAM, cryptogram));
  }

  /** {@link #objects()} as BER-TLV bytes (field 55). */
  public byte[] encoded() {
    return BerTlv.encode(objects());
  }

  /** Reads the data from a code's objects (anywhere inside them); empty when one is missing or malformed. */
  public static Optional<QrPaymentData> from(List<Tlv> objects) {
    Optional<byte[]> date = value(objects, DATE, 3);
    Optional<byte[]> time = value(objects, TIME, 3);
    Optional<byte[]> un = value(objects, UNPREDICTABLE_NUMBER, 4);
    Optional<byte[]> atc = value(objects, ATC, 2);
    Optional<byte[]> ac = value(objects, CRYPTOGRAM, 8);
    if (date.isEmpty() || time.isEmpty() || un.isEmpty() || atc.isEmpty() || ac.isEmpty()) {
      return Optional.empty();
    }
    try {
      Instant at = LocalDateTime.parse(Hex.encode(date.get()) + Hex.encode(time.get()), BCD_TIME)
          .toInstant(ZoneOffset.UTC);
      int counter = ((atc.get()[0] & 0xFF) << 8) | (atc.get()[1] & 0xFF);
      return Optional.of(new QrPaymentData(at, un.get(), counter, ac.get()));
    } catch (DateTimeException | QrException e) {
      return Optional.empty();
    }
  }

  /** Reads the data from field 55 bytes (bounded BER-TLV); empty when they are not such data. */
  public static Optional<QrPaymentData> fromField55(byte[] field55) {
    if (field55 == null || field55.length > FIELD_55_BYTES_MAX) {
      return Optional.empty();
    }
    try {
      return from(BerTlv.parse(field55, TlvLimits.DEFAULT));
    } catch (InvalidInputException e) {
      return Optional.empty();
    }
  }

  private static Optional<byte[]> value(List<Tlv> objects, Tag tag, int length) {
    return Tlv.findIn(objects, tag).flatMap(t -> t instanceof Tlv.Primitive p && p.valueLength() == length
        ? Optional.of(p.value()) : Optional.empty());
  }

  @Override
  public byte[] unpredictableNumber() {
    return unpredictableNumber.clone();
  }

  @Override
  public byte[] cryptogram() {
    return cryptogram.clone();
  }

  @Override
  public String toString() {
    return "QrPaymentData[madeAt=" + madeAt + ", atc=" + atc + "]";
  }
}
