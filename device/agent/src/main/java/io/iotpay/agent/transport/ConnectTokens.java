package io.iotpay.agent.transport;

import io.iotpay.agent.sdk.DeviceSigner;
import io.iotpay.protocol.cose.Cose;
import io.iotpay.protocol.cose.SignedMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Makes the MQTT CONNECT password of a device: a COSE_Sign1 signed by the device's key (its chip)
 * with kid = the device id and the issued-at time, in epoch milliseconds, in the counter label;
 * empty payload; external AAD {@value #AAD} (docs/mqtt.md). The broker accepts it within a few
 * minutes of its clock, once.
 */
public final class ConnectTokens {
  /** External AAD bound into the signature; differs from the payment envelope's. */
  public static final String AAD = "iotpay/mqtt-connect/v1";

  private ConnectTokens() {}

  /**
   * A fresh connect token.
   *
   * @param signer the device's key; used under its monitor, as a signer serves one caller at a time
   * @param issuedAt now, by the device's clock; never null
   * @return the token bytes (about 100); never null
   */
  public static byte[] create(DeviceSigner signer, Instant issuedAt) {
    synchronized (signer) {
      return SignedMessage.sign(signer.suite(), signer.deviceId(), issuedAt.toEpochMilli(), Cose.PAYLOAD_PLAIN, -1,
          new byte[0], AAD.getBytes(StandardCharsets.US_ASCII), signer::sign);
    }
  }

  /**
   * A fresh connect token in its text form: base64url of {@link #create}'s bytes, no padding. The broker
   * takes it as the CONNECT password as it takes the binary form, so a client that sends text
   * passwords only ({@code mosquitto_pub -u DEVICE -P TOKEN}) can connect.
   */
  public static String createText(DeviceSigner signer, Instant issuedAt) {
    return text(create(signer, issuedAt));
  }

  /** The text form of a binary connect token. */
  public static String text(byte[] token) {
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(token);
  }
}
