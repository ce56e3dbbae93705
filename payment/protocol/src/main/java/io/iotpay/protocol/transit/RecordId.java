package io.iotpay.protocol.transit;

import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.IdentifierText;

/**
 * A gate's id for one journal record: the terminal and its own sequence number. Unique per
 * operator; the switch de-duplicates on the card's (PAN, PAN sequence, ATC) as well, because a torn
 * transaction recovered at another gate gets another record id.
 *
 * @param terminalId 1..16 of A-Z, 0-9, '-'
 * @param sequence the terminal's journal sequence, from 1
 */
public record RecordId(String terminalId, long sequence) {
  /** @throws ProtocolException on a malformed terminal id or a sequence below 1 */
  public RecordId {
    if (!IdentifierText.isUpperAlphanumeric(terminalId, 16, true)) {
      throw new ProtocolException("terminal id '" + terminalId + "' is not 1..16 of A-Z, 0-9, '-'");
    }
    if (sequence < 1) {
      throw new ProtocolException("terminal " + terminalId + ": journal sequence " + sequence + " is below 1");
    }
  }

  @Override
  public String toString() {
    return terminalId + "#" + sequence;
  }
}
