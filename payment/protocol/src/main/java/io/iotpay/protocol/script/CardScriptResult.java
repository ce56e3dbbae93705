package io.iotpay.protocol.script;

import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.protocol.ProtocolException;
import java.util.List;

/**
 * What the relay saw: one response per command it sent, in order. Fewer responses than commands
 * means the relay stopped (a failing status word, or the card went away).
 */
public record CardScriptResult(String scriptId, List<ResponseApdu> responses) {
  public CardScriptResult {
    if (scriptId == null || responses == null) {
      throw new ProtocolException("card script result: id and responses are required");
    }
    responses = List.copyOf(responses);
  }
}
