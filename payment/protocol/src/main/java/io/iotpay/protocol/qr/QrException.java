package io.iotpay.protocol.qr;

import io.iotpay.protocol.ProtocolException;
import java.util.Objects;

/**
 * A QR payload (merchant- or consumer-presented) that breaks the EMV QRCPS rules or one of our
 * bounds. Carries the rule broken and the tag where it was found, so a caller can answer with both;
 * the decoder that threw has changed nothing.
 */
public final class QrException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  private final QrError error;
  private final String tag;

  /**
   * @param error the rule broken, not null
   * @param tag where: an MPM ID path such as {@code "62.05"}, a CPM tag such as {@code "9F26"}, or
   *     {@code ""} for the payload as a whole; not null
   * @param detail what exactly was wrong, one line, never a secret or a full PAN
   */
  public QrException(QrError error, String tag, String detail) {
    super(message(error, tag, detail));
    this.error = error;
    this.tag = tag;
  }

  /** As the three-argument constructor, keeping a lower-level cause. */
  public QrException(QrError error, String tag, String detail, Throwable cause) {
    super(message(error, tag, detail), cause);
    this.error = error;
    this.tag = tag;
  }

  /** The rule broken; never null. */
  public QrError error() {
    return error;
  }

  /** The tag path where it was found, {@code ""} for the whole payload; never null. */
  public String tag() {
    return tag;
  }

  private static String message(QrError error, String tag, String detail) {
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(tag, "tag");
    String where = tag.isEmpty() ? "" : " [tag " + tag + "]";
    // One line whatever the detail holds: the CLI prints it as its single stderr line.
    return "qr: " + error.description() + where + ": " + detail.replaceAll("[\\r\\n\\t]", " ");
  }
}
