package io.iotpay.protocol.qr;

/** Published example payloads, each with its source. */
final class QrExamples {
  /**
   * EMV QRCPS Merchant-Presented Mode v1.0 (July 2017), Annex A: the example payload ("BEST
   * TRANSPORT", Beijing, CRC A13A). Taken as independent implementations reproduce it character for
   * character (emvqr 0.0.5 README, exemvi's "official sample"); the annex number is the one our brief
   * gives, not checked against the PDF here.
   */
  static final String MPM_SPEC_EXAMPLE =
      "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN"
          + "5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***"
          + "0708A60086670902ME91320016A0112233449988770708123456786304A13A";

  /**
   * EMV QRCPS Consumer-Presented Mode, v1.0 (July 2017), the specification's example QR code payload
   * (section number not checked against the PDF here)
   * (two applications "Product1"/"Product2", PAN 1234567890123458, "CARDHOLDER/EMV", cryptogram
   * 584FD385FA234BCC): its BER-TLV bytes in hex and their base64. The same bytes appear in
   * mvallim/emv-qrcode (Apache-2.0) ConsumerPresentedModeDecoderTest and dongri/emvco-qrcode's README.
   */
  static final String CPM_SPEC_EXAMPLE_HEX =
      "8505435056303161134F07A0000000555555500850726F647563743161134F07A0000000666666500850726F6475637432"
          + "62495A0812345678901234585F200E43415244484F4C4445522F454D565F2D08727565736465656E64219F100706010A03"
          + "0000009F2608584FD385FA234BCC9F360200019F37046D58EF13";

  /** Base64 of {@link #CPM_SPEC_EXAMPLE_HEX}, as the same example prints it. */
  static final String CPM_SPEC_EXAMPLE_BASE64 =
      "hQVDUFYwMWETTwegAAAAVVVVUAhQcm9kdWN0MWETTwegAAAAZmZmUAhQcm9kdWN0MmJJWggSNFZ4kBI0WF8gDkNBUkRIT0xERVIv"
          + "RU1WXy0IcnVlc2RlZW5kIZ8QBwYBCgMAAACfJghYT9OF+iNLzJ82AgABnzcEbVjvEw==";

  private QrExamples() {}
}
