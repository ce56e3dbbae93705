package io.iotpay.phone.pos;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.codec.ResponseApdu;
import java.nio.charset.StandardCharsets;

/**
 * The phone's secure element as the SDK drives it: the APDUs of docs/se-apdus.md over a
 * {@link CardChannel} (on a phone, the SE's OMAPI channel; in tests, jCardSim). The private key
 * stays in the SE; this class only moves public data.
 */
public final class SecureElement {
  /** The SE applet's AID. */
  public static final byte[] AID = Hex.decode("A0000009990201");
  /** Host fields of a token: version, digest, flags, SDK version, nonce, latitude, longitude. */
  public static final int HOST_FIELDS_BYTES = 60;
  static final int TOKEN_VERSION = 1;

  private final CardChannel channel;

  public SecureElement(CardChannel channel) {
    this.channel = Assert.notNull(channel, "channel");
  }

  private byte[] send(int ins, int p2, byte[] data, String what) {
    ResponseApdu select = channel.transmit(new CommandApdu(0x00, 0xA4, 0x04, 0x00, AID, 256));
    if (select.sw() != 0x9000) {
      throw new SdkException("secure element: SELECT answered " + String.format("%04X", select.sw()));
    }
    ResponseApdu r = channel.transmit(new CommandApdu(0x80, ins, 0x00, p2, data == null ? new byte[0] : data, 256));
    if (r.sw() != 0x9000) {
      throw new SdkException("secure element: " + what + " answered " + String.format("%04X", r.sw()));
    }
    return r.data();
  }

  /** GENERATE KEY PAIR: {@code 04 ‖ X ‖ Y} of the key made inside the SE. */
  public byte[] generateKeyPair() {
    return send(0x46, 0, null, "GENERATE KEY PAIR");
  }

  public byte[] publicKey() {
    return send(0x4A, 0, null, "GET PUBLIC KEY");
  }

  /** SIGN ENROLMENT: the SE's DER signature of a CSR body. */
  public byte[] signEnrolment(byte[] requestInfo) {
    return send(0x2C, 0, requestInfo, "SIGN ENROLMENT");
  }

  /** END ENROLMENT: binds the 8-digit terminal id and locks the SE. */
  public void endEnrolment(String terminalId) {
    send(0xF0, 0, terminalId.getBytes(StandardCharsets.US_ASCII), "END ENROLMENT");
  }

  /**
   * ATTEST: the token {@code counter ‖ terminal id ‖ host fields ‖ signature} (docs/se-apdus.md).
   *
   * @param hostFields exactly {@value #HOST_FIELDS_BYTES} bytes, version first
   */
  public byte[] attest(byte[] hostFields) {
    Assert.that(hostFields.length == HOST_FIELDS_BYTES, "host fields are {} bytes", HOST_FIELDS_BYTES);
    byte[] answer = send(0x2A, 0, hostFields, "ATTEST");
    if (answer.length < 12 + 8) {
      throw new SdkException("secure element: ATTEST answer of " + answer.length + " bytes");
    }
    byte[] token = new byte[answer.length + HOST_FIELDS_BYTES];
    System.arraycopy(answer, 0, token, 0, 12);
    System.arraycopy(hostFields, 0, token, 12, HOST_FIELDS_BYTES);
    System.arraycopy(answer, 12, token, 12 + HOST_FIELDS_BYTES, answer.length - 12);
    return token;
  }
}
