package io.iotpay.protocol.iso8583;

import java.util.Optional;

/** Field 70, network management information code, as a table. */
public enum NetworkCode {
  SIGN_ON("001", "Sign-on: the link may carry traffic"),
  SIGN_OFF("002", "Sign-off: the sender stops sending traffic"),
  KEY_CHANGE("101", "Key change: a new zone authentication key under the zone master key (field 48)"),
  ECHO("301", "Echo test: keep-alive");

  private final String code;
  private final String meaning;

  NetworkCode(String code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public String code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }

  /** The entry for {@code code}, or empty when it is not in the table. */
  public static Optional<NetworkCode> byCode(String code) {
    for (NetworkCode entry : values()) {
      if (entry.code.equals(code)) {
        return Optional.of(entry);
      }
    }
    return Optional.empty();
  }
}
