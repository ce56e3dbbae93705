/**
 * The card side of offline data authentication: {@link io.iotpay.card.oda.DynamicSigner}, which an
 * applet embeds to hold its ODA private key (RSA or SM2 by suite) and sign the fDDA data of EMV Book
 * C-3 in the formats {@code io.iotpay.foundation.crypto.oda.OdaVerifier} checks. Java Card API only
 * (converter-compatible: no java.util, short arithmetic).
 */
package io.iotpay.card.oda;
