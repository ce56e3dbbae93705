package io.iotpay.acquirer.pos.risk;

/**
 * One recorded verdict of terminal risk sensing.
 *
 * @param stage {@code ATTESTATION} (the token before a payment) or {@code PAYMENT} (the request at the host)
 */
public record RiskEvent(long id, long atMs, String terminalId, String merchantId, String stage, RiskOutcome outcome,
    RiskReason reason, String detail) {}
