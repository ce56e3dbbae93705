/**
 * Terminal risk sensing for phones as terminals (docs/phone-sdk.md): attestation tokens signed in
 * the phone's secure element verified before each payment, movement, velocity and refund rules,
 * verdicts recorded durably; the {@link io.iotpay.acquirer.pos.online.TerminalRiskCheck} the
 * acquirer host asks before a payment reaches the switch.
 */
package io.iotpay.acquirer.pos.risk;
