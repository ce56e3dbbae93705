package io.iotpay.terminal.pos;

import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.iso8583.PinBlock;
import java.util.Optional;

/**
 * The terminal's PIN pad, asked for an online PIN when the card's CVM list selects "enciphered PIN
 * verified online". The kernel never sees the PIN: it receives the PIN block already enciphered
 * under the PIN pad's key (ISO 9564 format 4, with the DUKPT KSN when the pad uses DUKPT) and
 * passes it to the {@link OnlineAuthoriser} unchanged.
 */
@FunctionalInterface
public interface PinPad {
  /** A terminal without a PIN pad: online PIN then fails with TVR "PIN pad not present". */
  PinPad NONE = (amount, pan) -> Optional.empty();

  /**
   * Asks the cardholder for the PIN.
   *
   * @param amount the amount shown on the PIN pad, never null
   * @param pan the card's PAN, which a format 4 block is bound to; never null, never shown or logged
   * @return the enciphered PIN block, or empty when the cardholder bypassed PIN entry
   */
  Optional<PinBlock> enterOnlinePin(Money amount, Pan pan);
}
