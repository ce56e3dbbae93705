package io.iotpay.protocol.script;

import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.protocol.ProtocolException;
import java.util.List;

/**
 * Commands an issuer sends to a card through an untrusted relay (the phone's wallet app): the relay
 * feeds them to the secure element in order and reports every response. The relay holds no key, so
 * it can neither forge nor replay a command (secure channel C-MACs and the Push ATC see to that).
 *
 * @param scriptId the issuer's id for this script, for matching the result
 * @param commands 1..{@value #COMMANDS_MAX} command APDUs, sent in order; stop at the first that fails
 */
public record CardScript(String scriptId, List<CommandApdu> commands) {
  public static final int COMMANDS_MAX = 32;

  public CardScript {
    if (scriptId == null || scriptId.isBlank() || scriptId.length() > 64) {
      throw new ProtocolException("card script: id must be 1..64 characters");
    }
    if (commands == null || commands.isEmpty() || commands.size() > COMMANDS_MAX) {
      throw new ProtocolException("card script " + scriptId + ": 1.." + COMMANDS_MAX + " commands required");
    }
    commands = List.copyOf(commands);
  }
}
