package io.iotpay.demo.wallet;

import io.iotpay.issuer.wallet.OnlinePartOutcome;
import io.iotpay.issuer.wallet.SignedOnlinePart;
import io.iotpay.issuer.wallet.WalletOnlineParts;
import io.iotpay.terminal.wallet.CardDebit;
import io.iotpay.terminal.wallet.OnlinePartGateway;
import java.util.Optional;

/**
 * A POS's link to the issuer's online parts, with the faults the demo and the tests inject: the
 * link down (the part does not arrive) or the answer lost (the issuer applied it, the POS never
 * hears). The part travels as its signed bytes ({@link SignedOnlinePart#encode()}).
 */
public final class IssuerLink implements OnlinePartGateway {
  /** What happens to the next pushes. */
  public enum Fault { NONE, LINK_DOWN, LOSE_ANSWER }

  private final WalletOnlineParts issuer;
  private Fault fault = Fault.NONE;
  private long pushes;

  public IssuerLink(WalletOnlineParts issuer) {
    this.issuer = issuer;
  }

  public void fault(Fault fault) {
    this.fault = fault;
  }

  public Fault fault() {
    return fault;
  }

  /** Pushes that reached the issuer. */
  public long pushes() {
    return pushes;
  }

  @Override
  public Optional<Answer> push(CardDebit part) {
    if (fault == Fault.LINK_DOWN) {
      return Optional.empty();
    }
    byte[] wire = new SignedOnlinePart(part.signatureInput(), part.cardSignature()).encode();
    pushes++;
    OnlinePartOutcome outcome = issuer.apply(SignedOnlinePart.decode(wire));
    if (fault == Fault.LOSE_ANSWER) {
      return Optional.empty();
    }
    return Optional.of(Answer.valueOf(outcome.name()));
  }
}
