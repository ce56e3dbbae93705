package io.iotpay.terminal.wallet;

/**
 * Decides how a purchase is paid from what the card said about itself: all offline, split into an
 * offline debit and an online part the POS collects as the cardholder's agent, or declined. The
 * card enforces its own limits again; a policy can only be stricter.
 */
public interface SplitPolicy {

  /** The decision. */
  sealed interface Decision {
    /** Pay {@code offlineMinor} from the wallet and {@code onlineMinor} online (0 when none). */
    record Pay(long offlineMinor, long onlineMinor) implements Decision {}

    /** Do not attempt the debit; the reason is shown. */
    record Decline(String reason) implements Decision {}
  }

  /**
   * @param amountMinor the purchase total, positive
   * @param card the card's state from INITIALIZE PURCHASE, not null
   */
  Decision decide(long amountMinor, CardState card);
}
