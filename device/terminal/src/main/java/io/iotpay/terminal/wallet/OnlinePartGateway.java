package io.iotpay.terminal.wallet;

import java.util.Optional;

/**
 * Where the POS pushes an online part as the cardholder's agent: the issuer, reached through the
 * acquirer and the switch. The part travels as the card signed it ({@link CardDebit#signatureInput()}
 * and the card's signature), so the issuer checks the amount against the card's own signature.
 */
@FunctionalInterface
public interface OnlinePartGateway {

  /** The issuer's definitive answer; the same part always gets the same one. */
  enum Answer {
    /** Debited from the cardholder's online account. */
    COMPLETED,
    /** The online account could not pay: the card is told at its next tap (debt, or block). */
    FAILED,
    /** Not genuine (signature, card or amount): nothing moved, and it will never be retried. */
    REFUSED
  }

  /**
   * Pushes one part. Empty when no answer came (link down, answer lost, issuer busy): the POS
   * keeps the part and pushes it again later; the issuer answers a repeat without moving money twice.
   */
  Optional<Answer> push(CardDebit part);
}
