/**
 * Card-side cryptography in Java Card API terms: one {@link io.iotpay.card.crypto.BlockCipher16}
 * interface with a triple-DES implementation on {@code javacardx.crypto.Cipher} and a software SM4
 * in byte/short arithmetic, and {@link io.iotpay.card.crypto.CardMac} for the ISO 9797-1 MACs and
 * EMV/SCP02 key derivations both suites share.
 */
package io.iotpay.card.crypto;
