package io.iotpay.foundation.crypto.oda;

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

  static byte[] orEmpty(byte[] value) {
    return value == null ? new byte[0] : value;
  }
}
