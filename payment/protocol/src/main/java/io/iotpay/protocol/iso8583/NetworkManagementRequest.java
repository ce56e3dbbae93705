package io.iotpay.protocol.iso8583;

import static io.iotpay.protocol.iso8583.Iso8583Exception.Reason.FIELD_INVALID;

/**
 * 0800: sign-on, sign-off, echo or key change between two nodes of a link.
 *
 * @param code field 70
 * @param transmittedAt field 7
 * @param stan field 11
 * @param institutionId field 32, the sender's institution, 1..11 digits
 * @param nodeId field 41, the sending node, 8 printable characters
 * @param keyExchange field 48: required for {@link NetworkCode#KEY_CHANGE}, absent otherwise
 */
public record NetworkManagementRequest(
    NetworkCode code, MonthDayTime transmittedAt, int stan, String institutionId, String nodeId, KeyExchange keyExchange)
    implements Iso8583Message {
  /** @throws Iso8583Exception FIELD_MISSING or FIELD_INVALID */
  public NetworkManagementRequest {
    CardTransaction.required("field 70 network code", code);
    CardTransaction.required("field 7 transmission date-time", transmittedAt);
    CardTransaction.checkStan(stan);
    FieldText.digitsUpTo("field 32 institution id", institutionId, 11);
    FieldText.printable("field 41 node id", nodeId, 8);
    if ((code == NetworkCode.KEY_CHANGE) != (keyExchange != null)) {
      throw new Iso8583Exception(FIELD_INVALID, "field 48 belongs in a key change (101) and only there");
    }
  }

  @Override
  public Mti mti() {
    return Mti.NETWORK_MANAGEMENT_REQUEST;
  }

  @Override
  public String terminalId() {
    return nodeId;
  }
}
