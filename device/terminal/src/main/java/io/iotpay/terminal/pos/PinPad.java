package io.iotpay.terminal.pos;

import io.iotpay.foundation.money.Money;
import java.util.Optional;

/**
 * The terminal's PIN pad, asked for an online PIN when the card's CVM list selects "enciphered PIN
 * verified online". The kernel never sees the PIN: it receives the PIN block already enciphered
 * under the PIN pad's key (ISO 9564) and passes it to the {@link OnlineAuthoriser} unchanged.
 */
@FunctionalInterface
public interface PinPad {
  /** A terminal without a PIN pad: online PIN then fails with TVR "PIN pad not present". */
  PinPad NONE = amount -> Optional.empty();

  /**
   * Asks the cardholder for the PIN.
   *
   * @param amount the amount shown on the PIN pad, never null
   * @return the enciphered PIN block, or empty when the cardholder bypassed PIN entry
   */
  Optional<byte[]> enterOnlinePin(Money amount);
}
