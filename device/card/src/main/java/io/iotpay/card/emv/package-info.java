/**
 * The contactless EMV/PBOC debit/credit card: {@link io.iotpay.card.emv.PpseApplet} (the
 * {@code 2PAY.SYS.DDF01} directory) and {@link io.iotpay.card.emv.EmvApplet} (the payment
 * application: GPO, READ RECORD, offline PIN, GENERATE AC with card risk management, ARPC method 1
 * issuer authentication, issuer scripts under secure messaging), in both suites, Java Card API
 * only. Every APDU and formula is in {@code docs/emv-card-apdus.md}; the host side of the
 * cryptograms is {@code io.iotpay.foundation.crypto.EmvCryptograms}.
 */
package io.iotpay.card.emv;
