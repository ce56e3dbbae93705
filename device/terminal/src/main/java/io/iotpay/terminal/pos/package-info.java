/**
 * The contactless POS kernel: application selection from the PPSE, GET PROCESSING OPTIONS, READ
 * RECORD, processing restrictions, cardholder verification, terminal risk management, terminal
 * action analysis, GENERATE AC with fDDA, online authorisation through {@link
 * io.iotpay.terminal.pos.OnlineAuthoriser}, issuer authentication, issuer scripts and the
 * transaction journal. Entry point: {@link io.iotpay.terminal.pos.PosKernel}. The APDU sequence,
 * the rules and the journal format are in docs/pos-kernel.md.
 */
package io.iotpay.terminal.pos;
