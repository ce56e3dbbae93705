package io.iotpay.terminal.wallet;

/**
 * A wallet or PSAM answered something other than success, or its answer was malformed. Carries the
 * status word (0 for a malformed answer) and which device answered.
 */
public final class WalletException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Which side refused. */
  public enum Device { WALLET, PSAM, POS }

  private final Device device;
  private final int sw;

  public WalletException(Device device, int sw, String what) {
    super(device + " " + what + ": " + Integer.toHexString(sw) + " (" + WalletStatus.reason(sw) + ")");
    this.device = device;
    this.sw = sw;
  }

  public WalletException(Device device, String message) {
    super(device + ": " + message);
    this.device = device;
    this.sw = 0;
  }

  public Device device() {
    return device;
  }

  /** The status word, or 0 when the answer was malformed. */
  public int sw() {
    return sw;
  }
}
