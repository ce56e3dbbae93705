package io.iotpay.platform.decision;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process {@link IssuerLink} that can lose answers on the way back, as a network does: the
 * issuer has received and applied the request, but the caller sees an {@link IOException}.
 */
public final class LossyLink implements IssuerLink {
  private final IssuerLink issuer;
  private final AtomicInteger answersToLose = new AtomicInteger();
  private final AtomicLong exchanges = new AtomicLong();

  /** @param issuer the link to the issuer itself, e.g. {@code host::handle} */
  public LossyLink(IssuerLink issuer) {
    this.issuer = issuer;
  }

  /** The next {@code count} answers are lost after the issuer produced them. */
  public void loseNextAnswers(int count) {
    answersToLose.set(count);
  }

  /** Requests that reached the issuer, answered or lost. */
  public long exchanges() {
    return exchanges.get();
  }

  @Override
  public byte[] exchange(byte[] request) throws IOException {
    byte[] answer = issuer.exchange(request);
    exchanges.incrementAndGet();
    if (answersToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IOException("the issuer's answer was lost on the way back (test fault)");
    }
    return answer;
  }
}
