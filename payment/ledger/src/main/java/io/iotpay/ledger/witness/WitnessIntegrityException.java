package io.iotpay.ledger.witness;

/**
 * The witness's own record does not hold: a cosignature that does not verify under the witness's
 * key (forged or altered), a cosigned checkpoint not signed by the log's key, or sizes that go
 * backwards. Nothing the witness says can be relied on until an operator looks.
 */
public class WitnessIntegrityException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WitnessIntegrityException(String message) {
    super(message);
  }
}
