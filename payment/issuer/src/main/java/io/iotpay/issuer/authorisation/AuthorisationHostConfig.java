package io.iotpay.issuer.authorisation;

import io.iotpay.issuer.IssuerInputException;

/**
 * Bounds of an {@link AuthorisationHost}.
 *
 * @param ledgerWaitMs how long one request waits for the ledger to commit before it is answered
 *     {@code ISSUER_UNAVAILABLE} (the client then sends it again); default 30 s, 1..600,000
 * @param answersRememberedMax answers kept to give a retried request the very same answer (the oldest
 *     is forgotten first); a bound on memory at about 300 bytes an answer; default 100,000 (≈ 30 MB),
 *     1..10,000,000. A forgotten answer to an applied request is still recognised by the ledger.
 */
public record AuthorisationHostConfig(long ledgerWaitMs, int answersRememberedMax) {
  /** @throws IssuerInputException when a value is outside its bound */
  public AuthorisationHostConfig {
    if (ledgerWaitMs < 1 || ledgerWaitMs > 600_000) {
      throw new IssuerInputException("authorisation host: ledgerWaitMs " + ledgerWaitMs + " is outside 1..600000");
    }
    if (answersRememberedMax < 1 || answersRememberedMax > 10_000_000) {
      throw new IssuerInputException("authorisation host: answersRememberedMax " + answersRememberedMax + " is outside 1..10000000");
    }
  }

  /** 30 s ledger wait, 100,000 answers remembered. */
  public static AuthorisationHostConfig defaults() {
    return new AuthorisationHostConfig(30_000, 100_000);
  }
}
