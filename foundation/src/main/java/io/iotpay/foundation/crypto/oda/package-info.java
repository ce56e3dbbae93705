/**
 * Offline data authentication (ODA) on the host: the CA → issuer → card certificate chain and the
 * card's dynamic signature, in both suites. INTERNATIONAL follows EMV Book 2 (RSA recovery with
 * SHA-1, issuer certificate format 02, ICC certificate format 04, signed dynamic data format 05,
 * fDDA input per EMV Book C-3); NATIONAL uses SM2 signatures over SM3 with a certificate layout in
 * the spirit of PBOC 3.0 part 17 (documented as ours in docs/oda.md).
 *
 * <p>Entry points: {@link io.iotpay.foundation.crypto.oda.OdaVerifier} for terminals (gate, POS
 * kernel) and {@link io.iotpay.foundation.crypto.oda.OdaIssuing} for the issuer's personalisation
 * and the scheme CA.
 */
package io.iotpay.foundation.crypto.oda;
