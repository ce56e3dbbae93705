package io.iotpay.bench.pos;

import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;

/**
 * A card channel that adds up the wall time spent inside the card behind it: the bench's measure of
 * what a simulated chip (here the phone's SE in jCardSim) costs a payment. Used by one thread at a
 * time (a phone takes one payment at a time); read {@link #nanos} on that thread or after a hand-off.
 */
final class TimedChannel implements CardChannel {
  private final CardChannel inner;
  long nanos;

  TimedChannel(CardChannel inner) {
    this.inner = inner;
  }

  @Override
  public ResponseApdu transmit(CommandApdu command) {
    long start = System.nanoTime();
    try {
      return inner.transmit(command);
    } finally {
      nanos += System.nanoTime() - start;
    }
  }
}
