package io.iotpay.issuer.gp;

/** A security domain (or the host's own check of its answer) refused a step; carries the status word. */
public final class GpRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int sw;

  /** @param sw the card's status word, or 0 when the host refused the card's answer */
  public GpRefusedException(String message, int sw) {
    super(sw == 0 ? message : String.format("%s: card answered %04X", message, sw));
    this.sw = sw;
  }

  /** @return the card's status word, or 0 when the host refused the card's answer */
  public int sw() {
    return sw;
  }
}
