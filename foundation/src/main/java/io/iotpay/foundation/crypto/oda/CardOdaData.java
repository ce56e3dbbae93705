package io.iotpay.foundation.crypto.oda;

import io.iotpay.foundation.codec.Tag;
import io.iotpay.foundation.codec.Tlv;
import java.util.List;
import java.util.Optional;

/**
 * What a card gives the terminal for ODA, as read from its records. Any field may be null or empty
 * when the card did not send it; {@link OdaVerifier} refuses with {@link OdaReason#DATA_MISSING}
 * where the suite needs it. Arrays are used as given (not copied): the verifier only reads them.
 *
 * @param rid the RID of the selected application's AID (first 5 bytes)
 * @param caIndex tag 8F, the CA public key index, 0..255
 * @param pan tag 5A, cn
 * @param issuerCertificate tag 90
 * @param issuerRemainder tag 92 (RSA only; absent when the key fits in the certificate)
 * @param issuerExponent tag 9F32 (RSA only)
 * @param iccCertificate tag 9F46
 * @param iccRemainder tag 9F48 (RSA only)
 * @param iccExponent tag 9F47 (RSA only)
 * @param staticData the static data to be authenticated (records named by the AFL for ODA, then
 *     the AIP if tag 9F4A lists it), EMV Book 3 section 10.3
 */
public record CardOdaData(
    byte[] rid,
    int caIndex,
    byte[] pan,
    byte[] issuerCertificate,
    byte[] issuerRemainder,
    byte[] issuerExponent,
    byte[] iccCertificate,
    byte[] iccRemainder,
    byte[] iccExponent,
    byte[] staticData) {

  /**
   * Collects the ODA data objects from the records a terminal read (each a 70 template, or their
   * children): 8F, 5A, 90, 92, 9F32, 9F46, 9F47, 9F48, the first of each in record order. Absent
   * objects stay null (the verifier then refuses with {@link OdaReason#DATA_MISSING} where needed);
   * a constructed object under an ODA tag, or an 8F that is not one byte, counts as absent.
   *
   * @param rid the first 5 bytes of the selected AID
   * @param records the parsed records, in the order read
   * @param staticData the static data to be authenticated, as the terminal assembled it
   */
  public static CardOdaData fromRecords(byte[] rid, List<Tlv> records, byte[] staticData) {
    byte[] caIndex = value(records, 0x8F);
    return new CardOdaData(rid, caIndex == null || caIndex.length != 1 ? -1 : caIndex[0] & 0xFF, value(records, 0x5A),
        value(records, 0x90), value(records, 0x92), value(records, 0x9F32), value(records, 0x9F46), value(records, 0x9F48),
        value(records, 0x9F47), staticData);
  }

  private static byte[] value(List<Tlv> records, int tag) {
    for (Tlv record : records) {
      Optional<Tlv> found = record.find(Tag.of(tag));
      if (found.isPresent()) {
        return found.get() instanceof Tlv.Primitive primitive ? primitive.value() : null;
      }
    }
    return null;
  }

  static byte[] orEmpty(byte[] value) {
    return value == null ? new byte[0] : value;
  }
}
