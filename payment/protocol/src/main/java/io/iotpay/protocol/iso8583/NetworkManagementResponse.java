package io.iotpay.protocol.iso8583;

/**
 * 0810: the answer to an 0800, echoing its keys.
 *
 * @param code field 70
 * @param transmittedAt field 7 (the request's)
 * @param stan field 11 (the request's)
 * @param institutionId field 32 (the request's)
 * @param nodeId field 41 (the request's)
 * @param responseCode field 39
 */
public record NetworkManagementResponse(
    NetworkCode code, MonthDayTime transmittedAt, int stan, String institutionId, String nodeId, ResponseCode responseCode)
    implements Iso8583Message {
  /** @throws Iso8583Exception FIELD_MISSING or FIELD_INVALID */
  public NetworkManagementResponse {
    CardTransaction.required("field 70 network code", code);
    CardTransaction.required("field 7 transmission date-time", transmittedAt);
    CardTransaction.checkStan(stan);
    FieldText.digitsUpTo("field 32 institution id", institutionId, 11);
    FieldText.printable("field 41 node id", nodeId, 8);
    CardTransaction.required("field 39 response code", responseCode);
  }

  /** The answer to {@code request}. */
  public static NetworkManagementResponse answering(NetworkManagementRequest request, ResponseCode responseCode) {
    return new NetworkManagementResponse(request.code(), request.transmittedAt(), request.stan(),
        request.institutionId(), request.nodeId(), responseCode);
  }

  @Override
  public Mti mti() {
    return Mti.NETWORK_MANAGEMENT_RESPONSE;
  }

  @Override
  public String terminalId() {
    return nodeId;
  }
}
