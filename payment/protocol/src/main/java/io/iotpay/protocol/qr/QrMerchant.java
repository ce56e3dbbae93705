package io.iotpay.protocol.qr;

import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.Pan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The scheme's conventions for QR payments on top of the EMV codec: the merchant account template
 * of a merchant-presented code, the order reference, the message codes of a push credit, and the
 * application of a consumer-presented code. docs/qr.md, "The flows".
 */
public final class QrMerchant {
  /** Globally unique identifier (sub-ID 00) of the scheme's merchant account template. */
  public static final String GUID = "IO.IOTPAY.QR";
  /** Template ID the scheme's account is written in (the first of 26..51). */
  public static final String ACCOUNT_TEMPLATE_ID = "26";
  /** An order reference the acquirer issued (62.05, and field 37 of the push credit): Q and 11 digits. */
  public static final String ORDER_REFERENCE_PATTERN = "Q[0-9]{11}";
  /** Field 3 of a push credit: 26 "payment/credit" (ISO 8583:1993 transaction type), default accounts. */
  public static final String PUSH_CREDIT_PROCESSING_CODE = "260000";
  /** Field 22 of QR messages: PAN entry 03, bar code (a QR code is read by the camera). */
  public static final String QR_ENTRY_MODE = "031";
  /** The consumer-presented application: ADF name (4F) and label (50). */
  public static final byte[] CPM_AID = {(byte) 0xA0, 0x00, 0x00, 0x09, (byte) 0x99, 0x03, 0x01};
  public static final String CPM_LABEL = "IOTPAY QR";

  private QrMerchant() {}

  /**
   * A merchant-presented code for the scheme: static (no amount, point of initiation 11) or dynamic
   * (amount and the acquirer's order reference, 12).
   *
   * @param amount the order's amount, or null for a static code
   * @param reference the order reference (required exactly when {@code amount} is given)
   * @throws QrException when a field breaks the codec's rules (e.g. a name over 25 characters)
   */
  public static MerchantPresentedCode code(String merchantName, String city, String mcc, Pan account, Money amount,
      String reference) {
    if ((amount == null) != (reference == null) || (reference != null && !reference.matches(ORDER_REFERENCE_PATTERN))) {
      throw new QrException(QrError.CONDITION_BROKEN, "62.05", "a dynamic code needs an amount and an order reference");
    }
    List<MpmObject> objects = new ArrayList<>();
    objects.add(new MpmObject.Primitive("00", "01"));
    objects.add(new MpmObject.Primitive("01", amount == null ? "11" : "12"));
    objects.add(new MpmObject.Template(ACCOUNT_TEMPLATE_ID, List.of(new MpmObject.Primitive("00", GUID),
        new MpmObject.Primitive("01", account.digits()))));
    objects.add(new MpmObject.Primitive("52", mcc));
    String currency = String.format("%03d", (amount == null ? io.iotpay.foundation.money.CurrencyUnit.CNY
        : amount.currency()).numericCode());
    objects.add(new MpmObject.Primitive("53", currency));
    if (amount != null) {
      objects.add(new MpmObject.Primitive("54", amount.toPlainString()));
    }
    objects.add(new MpmObject.Primitive("58", "CN"));
    objects.add(new MpmObject.Primitive("59", merchantName));
    objects.add(new MpmObject.Primitive("60", city));
    if (reference != null) {
      objects.add(new MpmObject.Template("62", List.of(new MpmObject.Primitive("05", reference))));
    }
    return MpmCodec.encode(objects);
  }

  /**
   * The merchant's QR account number from the scheme's template of a decoded code.
   *
   * @throws QrException MANDATORY_MISSING when the code has no template of the scheme, VALUE_FORMAT
   *     when its account is not a valid account number
   */
  public static Pan account(MerchantPresentedCode code) {
    for (MpmObject object : code.accounts()) {
      if (object instanceof MpmObject.Template template && GUID.equals(template.childValue("00"))) {
        String digits = template.childValue("01");
        try {
          return Pan.of(digits == null ? "" : digits);
        } catch (RuntimeException e) {
          throw new QrException(QrError.VALUE_FORMAT, object.id() + ".01", "not a valid merchant account number");
        }
      }
    }
    throw new QrException(QrError.MANDATORY_MISSING, "26-51", "no merchant account of " + GUID);
  }

  /** The order reference (62.05) of a dynamic code, if it carries one of the scheme's form. */
  public static Optional<String> reference(MerchantPresentedCode code) {
    return code.value("62.05").filter(r -> r.matches(ORDER_REFERENCE_PATTERN));
  }
}
