package io.iotpay.phone.pos;

/**
 * The acquirer's terminal monitoring service as the SDK sees it: a nonce before each payment, then
 * the attestation token over it. The acquiring app provides the transport (in tests, a direct call
 * into the acquirer's {@code TerminalRiskService}).
 */
public interface MonitoringService {
  /** A fresh nonce (16 bytes) for this terminal's next token. */
  byte[] nonce(String terminalId);

  /** The acquirer's verdict on the token. */
  Verdict attest(String terminalId, byte[] token);

  /**
   * @param outcome APPROVE, REFUSE, STEP_UP or BLOCK
   * @param reason the acquirer's reason code
   */
  record Verdict(String outcome, String reason, String detail) {
    public boolean approved() {
      return "APPROVE".equals(outcome);
    }
  }
}
