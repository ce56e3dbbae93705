package io.iotpay.platform.risk;

/**
 * One signal that fired, with what exactly was seen.
 *
 * @param signal never null
 * @param detail for people and the audit record (never a secret), never null
 */
public record RiskReason(RiskSignal signal, String detail) {}
