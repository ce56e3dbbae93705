package io.iotpay.protocol.iso8583;

/**
 * One typed ISO 8583 message between iotpay's parties. {@link Iso8583Messages} maps each to and
 * from j8583's {@code IsoMessage}; the link matches a response to its request by {@link #matchKey()}.
 */
public sealed interface Iso8583Message
    permits AuthorisationRequest, FinancialRequest, AdviceRequest, ReversalRequest, CardResponse,
        AccountVerificationRequest, AccountVerificationResponse, NetworkManagementRequest, NetworkManagementResponse {

  Mti mti();

  /** Field 11. */
  int stan();

  /** Field 41: the terminal for card messages, the sending node for network management. */
  String terminalId();

  /** What a response carries to find its request: the response MTI, field 11 and field 41. */
  default MatchKey matchKey() {
    return new MatchKey(mti().isRequest() ? mti().responseType() : mti(), stan(), terminalId());
  }

  /**
   * The key a request and its response share.
   *
   * @param responseMti the response type (0110 for an 0100 and its 0110)
   * @param stan field 11
   * @param terminalId field 41
   */
  record MatchKey(Mti responseMti, int stan, String terminalId) {}
}
