package io.iotpay.protocol.file;

import io.iotpay.protocol.ProtocolException;

/** A presentment or presentment-result file refused, with the reason as data; nothing of it is used. */
public final class PresentmentFileException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  /** Why the file was refused. */
  public enum Reason {
    /** A line or field that is not of the format (header, record, summary, trailer). */
    MALFORMED,
    /** The file ends before its trailer, or its last line has no '\n'. */
    TRUNCATED,
    /** The trailer's SHA-256 does not match the bytes before it. */
    CHECKSUM,
    /** The header's record count, or the summary's counts, do not match the records. */
    WRONG_COUNT,
    /** The header's or the summary's totals do not match the records' amounts. */
    WRONG_TOTAL,
    /** The same presentment (acquirer and id) twice in one file. */
    DUPLICATE_RECORD,
    /** More records than the reader's bound. */
    TOO_LARGE
  }

  private final Reason reason;

  public PresentmentFileException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  PresentmentFileException(Reason reason, ProtocolException cause) {
    super(reason + ": " + cause.getMessage(), cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** Gives a frame-level refusal its reason; anything else the frame refuses is MALFORMED. */
  static PresentmentFileException of(ProtocolException e) {
    if (e instanceof PresentmentFileException typed) {
      return typed;
    }
    Reason reason = Reason.MALFORMED;
    if (e instanceof FramedFileReader.FrameException frame) {
      reason = switch (frame.fault()) {
        case TRUNCATED -> Reason.TRUNCATED;
        case CHECKSUM -> Reason.CHECKSUM;
        case COUNT -> Reason.WRONG_COUNT;
        case TOO_LARGE -> Reason.TOO_LARGE;
      };
    }
    return new PresentmentFileException(reason, e);
  }
}
