package io.iotpay.protocol.journal;

import io.iotpay.protocol.ProtocolException;

/** A terminal journal line or file that breaks the journal format; the message names the line or field. */
public final class JournalException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  public JournalException(String message) {
    super(message);
  }

  public JournalException(String message, Throwable cause) {
    super(message, cause);
  }
}
