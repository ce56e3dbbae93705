package io.iotpay.phone.pos;

import io.iotpay.terminal.pos.PosOutcome;

/**
 * What a {@code charge} or {@code refund} ended with.
 *
 * @param attestation the acquirer's verdict on this payment's attestation token (null when none was asked)
 * @param kernel the POS kernel's outcome (null when the card was never read: refused before, or a refund)
 * @param reversal what became of the reversal the kernel asked for: NONE, ACKNOWLEDGED or PENDING (sent again at the next start)
 */
public record SdkOutcome(boolean approved, MonitoringService.Verdict attestation, PosOutcome kernel, String reversal,
    Receipt receipt) {}
