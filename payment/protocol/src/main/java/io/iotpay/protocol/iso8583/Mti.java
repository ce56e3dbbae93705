package io.iotpay.protocol.iso8583;

import io.iotpay.foundation.Assert;

/**
 * The message types iotpay's parties exchange, each request with its response. The code is the
 * four-digit MTI as it travels (ISO 8583:1987 version digit 0).
 */
public enum Mti {
  AUTHORISATION_REQUEST("0100", true),
  AUTHORISATION_RESPONSE("0110", false),
  AUTHORISATION_ADVICE("0120", true),
  AUTHORISATION_ADVICE_RESPONSE("0130", false),
  FINANCIAL_REQUEST("0200", true),
  FINANCIAL_RESPONSE("0210", false),
  /** Completion advice: the capture of an approved 0100 hold (the account path, docs/issuer-authorisation.md). */
  FINANCIAL_ADVICE("0220", true),
  FINANCIAL_ADVICE_RESPONSE("0230", false),
  REVERSAL_REQUEST("0400", true),
  REVERSAL_RESPONSE("0410", false),
  REVERSAL_ADVICE("0420", true),
  REVERSAL_ADVICE_RESPONSE("0430", false),
  NETWORK_MANAGEMENT_REQUEST("0800", true),
  NETWORK_MANAGEMENT_RESPONSE("0810", false);

  private final String code;
  private final boolean request;

  Mti(String code, boolean request) {
    this.code = code;
    this.request = request;
  }

  /** The four digits on the wire, e.g. {@code "0100"}. */
  public String code() {
    return code;
  }

  /** j8583's message type number: the four digits read as hex (0x0100 for "0100"). */
  public int typeNumber() {
    return Integer.parseInt(code, 16);
  }

  public boolean isRequest() {
    return request;
  }

  /**
   * The response type that answers this request type (0100 → 0110).
   *
   * @throws AssertionError when called on a response type (a programmer error)
   */
  public Mti responseType() {
    return switch (this) {
      case AUTHORISATION_REQUEST -> AUTHORISATION_RESPONSE;
      case AUTHORISATION_ADVICE -> AUTHORISATION_ADVICE_RESPONSE;
      case FINANCIAL_REQUEST -> FINANCIAL_RESPONSE;
      case FINANCIAL_ADVICE -> FINANCIAL_ADVICE_RESPONSE;
      case REVERSAL_REQUEST -> REVERSAL_RESPONSE;
      case REVERSAL_ADVICE -> REVERSAL_ADVICE_RESPONSE;
      case NETWORK_MANAGEMENT_REQUEST -> NETWORK_MANAGEMENT_RESPONSE;
      case AUTHORISATION_RESPONSE, AUTHORISATION_ADVICE_RESPONSE, FINANCIAL_RESPONSE, FINANCIAL_ADVICE_RESPONSE,
          REVERSAL_RESPONSE,
          REVERSAL_ADVICE_RESPONSE, NETWORK_MANAGEMENT_RESPONSE ->
          throw Assert.unreachable("{} is a response; it has no response type", code);
    };
  }

  /**
   * The type with j8583 type number {@code typeNumber}.
   *
   * @throws Iso8583Exception UNKNOWN_MTI when it is not in the table
   */
  public static Mti byTypeNumber(int typeNumber) {
    for (Mti mti : values()) {
      if (mti.typeNumber() == typeNumber) {
        return mti;
      }
    }
    throw new Iso8583Exception(Iso8583Exception.Reason.UNKNOWN_MTI,
        "message type " + Integer.toHexString(typeNumber) + " is not one iotpay exchanges");
  }
}
