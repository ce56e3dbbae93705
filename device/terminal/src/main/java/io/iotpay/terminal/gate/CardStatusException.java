package io.iotpay.terminal.gate;

/** The card answered a gate command with a status word the sequence does not allow. */
public final class CardStatusException extends GateException {
  private static final long serialVersionUID = 1L;
  private final int sw;

  public CardStatusException(String command, int sw) {
    super(command + " returned SW " + String.format("%04X", sw));
    this.sw = sw;
  }

  /** The status word received. */
  public int sw() {
    return sw;
  }
}
