package io.iotpay.foundation.card;

import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;

/**
 * Wraps a channel and breaks exactly one exchange, the {@code n}-th command (counted from 1), in one
 * of three ways; every other exchange passes through. Tearing tests walk {@code n} over every command
 * of a transaction and every {@link Fault}.
 */
public final class FaultyCardChannel implements CardChannel {
  /** How the exchange breaks. */
  public enum Fault {
    /** The command never reaches the card. */
    LOSE_COMMAND,
    /** The card executes the command; its response is lost. */
    LOSE_RESPONSE,
    /** The card leaves the field before the command: this and every later command fail. */
    PULL_CARD
  }

  private final CardChannel inner;
  private final int faultyCommandNumber;
  private final Fault fault;
  private int sent;
  private boolean pulled;

  /**
   * @param faultyCommandNumber which command breaks, from 1
   * @param fault how it breaks
   */
  public FaultyCardChannel(CardChannel inner, int faultyCommandNumber, Fault fault) {
    this.inner = inner;
    this.faultyCommandNumber = faultyCommandNumber;
    this.fault = fault;
  }

  @Override
  public ResponseApdu transmit(CommandApdu command) {
    sent++;
    if (pulled) {
      throw new CardGoneException("card pulled before command " + sent);
    }
    if (sent != faultyCommandNumber) {
      return inner.transmit(command);
    }
    switch (fault) {
      case LOSE_COMMAND -> throw new CardGoneException("command " + sent + " lost");
      case LOSE_RESPONSE -> {
        inner.transmit(command);
        throw new CardGoneException("response to command " + sent + " lost");
      }
      case PULL_CARD -> {
        pulled = true;
        throw new CardGoneException("card pulled at command " + sent);
      }
    }
    throw new AssertionError("unreachable: every fault throws");
  }

  /** Commands attempted so far through this channel. */
  public int commandsSent() {
    return sent;
  }
}
