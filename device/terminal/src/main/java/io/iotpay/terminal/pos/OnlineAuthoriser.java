package io.iotpay.terminal.pos;

/**
 * Where the kernel sends an ARQC for online authorisation: the acquirer link (ISO 8583 0100/0110,
 * chip data in field 55). The implementation owns its timeout and answers {@link
 * AuthorisationResponse.NoAnswer} when it expires; the kernel then completes the card transaction as
 * "unable to go online" and journals the request for reversal.
 */
@FunctionalInterface
public interface OnlineAuthoriser {
  /**
   * @param request never null
   * @return the issuer's answer or {@link AuthorisationResponse.NoAnswer}, never null. A runtime
   *     exception is taken as no answer.
   */
  AuthorisationResponse authorise(AuthorisationRequest request);
}
