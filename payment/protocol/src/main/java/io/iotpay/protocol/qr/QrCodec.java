package io.iotpay.protocol.qr;

import java.util.Objects;

/** One entry point for a scanned code of either mode. */
public final class QrCodec {
  /**
   * Base64 of the CPM payload format indicator's tag byte 0x85 always starts with these two
   * characters, while an MPM payload starts with the digits of ID 00.
   */
  static final String CPM_PREFIX = "hQ";

  private QrCodec() {}

  /**
   * Decodes a scanned code: consumer-presented when the text starts as base64 of tag 85 does,
   * merchant-presented otherwise.
   *
   * @param text the QR text, not null
   * @throws QrException if the code breaks the rules of its mode
   */
  public static QrCode decode(String text) {
    Objects.requireNonNull(text, "text");
    return text.startsWith(CPM_PREFIX) ? CpmCodec.decode(text) : MpmCodec.decode(text);
  }
}
