package io.iotpay.protocol.qr;

/** A decoded EMV payment QR code: merchant-presented or consumer-presented. */
public sealed interface QrCode permits MerchantPresentedCode, ConsumerPresentedCode {
  /** The text the QR symbol carries; never null. */
  String text();
}
