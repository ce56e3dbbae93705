package io.iotpay.protocol.qr;

/**
 * Why a QR payload was refused: one row per rule, with the sentence the error message starts with.
 * A data table rather than scattered strings, so that {@code docs/qr.md} and the CLI say the same.
 */
public enum QrError {
  PAYLOAD_EMPTY("payload is empty"),
  PAYLOAD_TOO_LONG("payload is longer than the maximum"),
  ID_NOT_NUMERIC("data object ID is not two decimal digits"),
  LENGTH_NOT_NUMERIC("data object length is not two decimal digits"),
  LENGTH_PAST_END("data object runs past the end of its payload or template"),
  LENGTH_OUT_OF_RANGE("value length is outside the tag's limits"),
  VALUE_FORMAT("value breaks the tag's format"),
  DUPLICATE_ID("data object appears twice in one template"),
  MANDATORY_MISSING("mandatory data object is missing"),
  CONDITION_BROKEN("conditional data object is present without its condition, or missing when required"),
  PAYLOAD_FORMAT_INDICATOR("payload format indicator is missing, not first, or not the supported version"),
  CRC_MISSING("CRC data object (ID 63) is missing"),
  CRC_NOT_LAST("CRC data object (ID 63) is not the last one"),
  CRC_FORMAT("CRC is not four upper-case hex digits"),
  CRC_MISMATCH("CRC does not match the payload"),
  UNKNOWN_CURRENCY("currency is not a known ISO 4217 numeric code"),
  TEMPLATE_EXPECTED("template's value is not a sequence of data objects"),
  PRIMITIVE_EXPECTED("primitive data object was given as a template"),
  UNEXPECTED_TAG("tag is not allowed in this template"),
  NOT_BASE64("consumer-presented payload is not base64"),
  TLV_MALFORMED("consumer-presented payload breaks the BER-TLV rules");

  private final String description;

  QrError(String description) {
    this.description = description;
  }

  /** The sentence that opens the error message; never null. */
  public String description() {
    return description;
  }
}
