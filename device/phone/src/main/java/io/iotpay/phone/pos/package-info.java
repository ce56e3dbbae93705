/**
 * The acquiring SDK an acquiring app embeds to make a phone a terminal (docs/phone-sdk.md):
 * enrolment with a key pair in the phone's secure element, an attestation token before each
 * payment, the POS kernel behind {@code charge}/{@code refund}, receipts, and recovery after the
 * app is killed mid-payment.
 */
package io.iotpay.phone.pos;
