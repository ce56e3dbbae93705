package io.iotpay.platform.access.mqtt;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.platform.access.mqtt.ConnectTokenException.Reason;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.identity.DeviceIdException;
import io.iotpay.platform.identity.DeviceRecord;
import io.iotpay.platform.identity.IdentityService;
import io.iotpay.protocol.cose.Cose;
import io.iotpay.protocol.cose.CoseException;
import io.iotpay.protocol.cose.SignedMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * A device's MQTT CONNECT password: a COSE_Sign1 (docs/mqtt.md) signed by the device's chip key
 * whose protected header carries kid = the client id and, in the counter label, the issued-at
 * time in epoch milliseconds; empty payload; external AAD {@value #AAD}. The AAD differs from
 * the payment envelope's, so a token can never pass for a payment message, nor the reverse.
 * It works for both suites, where TLS client certificates (JSSE) cannot carry SM2.
 *
 * @param deviceId the device the token names (its kid); never null
 * @param issuedAt the issued-at time it claims; never null
 * @param signed the parsed, not yet verified message; never null
 */
public record ConnectToken(DeviceId deviceId, Instant issuedAt, SignedMessage signed) {
  /** External AAD bound into a connect token's signature. */
  public static final String AAD = "iotpay/mqtt-connect/v1";
  /** Longest token accepted, bytes: a token is about 100 bytes; bounds the parse. */
  public static final int TOKEN_BYTES_MAX = 512;

  /**
   * Parses a connect token without verifying it.
   *
   * @param bytes the CONNECT password, possibly hostile; null is malformed
   * @throws ConnectTokenException OVERSIZED or MALFORMED
   */
  public static ConnectToken parse(byte[] password) {
    if (password == null || password.length == 0) {
      throw new ConnectTokenException(Reason.NO_TOKEN, "no connect token (the CONNECT password is empty)");
    }
    byte[] bytes = fromText(password);
    if (bytes.length > TOKEN_BYTES_MAX) {
      throw new ConnectTokenException(Reason.OVERSIZED, "connect token of " + bytes.length + " bytes, at most " + TOKEN_BYTES_MAX);
    }
    SignedMessage signed;
    try {
      signed = SignedMessage.parse(bytes);
    } catch (CoseException e) {
      throw new ConnectTokenException(Reason.MALFORMED, "connect token: " + e.getMessage(), e);
    }
    if (signed.payload().length != 0 || signed.replyTo() != -1 || signed.payloadKind() != Cose.PAYLOAD_PLAIN) {
      throw new ConnectTokenException(Reason.MALFORMED, "connect token must have an empty plain payload and no reply-to");
    }
    DeviceId deviceId;
    try {
      deviceId = new DeviceId(signed.kid());
    } catch (DeviceIdException e) {
      throw new ConnectTokenException(Reason.MALFORMED, "connect token kid is not a device id: " + e.getMessage(), e);
    }
    return new ConnectToken(deviceId, Instant.ofEpochMilli(signed.counter()), signed);
  }

  /** Longest text form accepted, characters: base64url of {@link #TOKEN_BYTES_MAX} bytes, no padding. */
  public static final int TOKEN_TEXT_CHARS_MAX = (TOKEN_BYTES_MAX * 4 + 2) / 3;

  /**
   * The binary token inside a text-form password (base64url, no padding: what {@code mosquitto_pub -P}
   * can send), or the password itself when it is binary. A binary token is a tagged CBOR array (its first
   * byte is 0xD2 or 0x84, never a base64url character), so the two forms cannot be confused.
   */
  static byte[] fromText(byte[] password) {
    for (byte b : password) {
      boolean base64url = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' || b == '_';
      if (!base64url) {
        return password;
      }
    }
    if (password.length > TOKEN_TEXT_CHARS_MAX) {
      throw new ConnectTokenException(Reason.OVERSIZED, "text connect token of " + password.length + " characters, at most " + TOKEN_TEXT_CHARS_MAX);
    }
    try {
      return java.util.Base64.getUrlDecoder().decode(password);
    } catch (IllegalArgumentException e) {
      throw new ConnectTokenException(Reason.MALFORMED, "text connect token is not base64url: " + e.getMessage(), e);
    }
  }

  /**
   * Checks a device's CONNECT: the client id is a device id, the token parses, names that device,
   * the device is registered and ACTIVE, the token is signed under its registered key and suite,
   * and its issued-at time is within {@code skewMax} of {@code now}.
   *
   * @param clientId the MQTT client id, possibly hostile
   * @param password the CONNECT password, possibly hostile
   * @return the device record as it stands now; never null
   * @throws ConnectTokenException naming the first failed check
   */
  public static Verified verify(String clientId, byte[] password, IdentityService identity, Instant now, Duration skewMax) {
    DeviceId claimed;
    try {
      claimed = new DeviceId(clientId == null ? "" : clientId);
    } catch (DeviceIdException e) {
      throw new ConnectTokenException(Reason.BAD_CLIENT_ID, "client id is not a device id: " + e.getMessage(), e);
    }
    ConnectToken token = parse(password);
    if (!token.deviceId().equals(claimed)) {
      throw new ConnectTokenException(Reason.WRONG_DEVICE, "token names device " + token.deviceId() + ", client id is " + claimed);
    }
    DeviceRecord device = activeDevice(identity, claimed);
    token.verifySignature(device);
    Duration skew = Duration.between(token.issuedAt(), now).abs();
    if (skew.compareTo(skewMax) > 0) {
      throw new ConnectTokenException(Reason.EXPIRED,
          "device " + claimed + ": token issued at " + token.issuedAt() + ", " + skew.toSeconds() + " s from now (at most " + skewMax.toSeconds() + ")");
    }
    return new Verified(device, token.issuedAt());
  }

  /** A verified connect: the device as it stands and the token's issued-at time. */
  public record Verified(DeviceRecord device, Instant issuedAt) {}

  private static DeviceRecord activeDevice(IdentityService identity, DeviceId deviceId) {
    DeviceRecord device = identity.deviceForMessage(deviceId).orElseThrow(() ->
        new ConnectTokenException(Reason.UNKNOWN_DEVICE, "device " + deviceId + " is not registered"));
    return switch (device.status()) {
      case ACTIVE -> device;
      case SUSPENDED -> throw new ConnectTokenException(Reason.DEVICE_SUSPENDED, "device " + deviceId + " is suspended");
      case REVOKED -> throw new ConnectTokenException(Reason.DEVICE_REVOKED, "device " + deviceId + " is revoked");
    };
  }

  private void verifySignature(DeviceRecord device) {
    AlgorithmSuite claimed = Cose.suiteOfSignatureAlg(signed.alg());
    if (claimed != device.suite()) {
      throw new ConnectTokenException(Reason.SUITE_MISMATCH,
          "device " + deviceId + " is registered for " + device.suite() + " but the token uses alg " + signed.alg());
    }
    byte[] toBeSigned = Cose.toBeSigned(signed.protectedBytes(), AAD.getBytes(StandardCharsets.US_ASCII), signed.payload());
    byte[] der;
    try {
      der = Cose.derSignature(device.suite(), signed.signature());
    } catch (CoseException e) {
      throw new ConnectTokenException(Reason.BAD_SIGNATURE, "device " + deviceId + ": " + e.getMessage(), e);
    }
    if (!device.suite().signature().verify(device.publicKey(), toBeSigned, der)) {
      throw new ConnectTokenException(Reason.BAD_SIGNATURE, "device " + deviceId + ": token signature does not verify under the registered key");
    }
  }
}
