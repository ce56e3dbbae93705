package io.iotpay.acquirer.pos.merchant;

/** The onboarding store failed (a database error); the request may be retried. Nothing was changed. */
public final class OnboardingStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OnboardingStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
