package io.iotpay.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/**
 * What every party's TLS test checks of its console's answers (the platform's, the acquirer's, the
 * switch's): the one {@code Set-Cookie} is the session cookie, {@code Secure}, {@code HttpOnly} and
 * {@code SameSite=Strict}. Shared through this module's test jar.
 */
public final class ConsoleCookieChecks {
  private ConsoleCookieChecks() {}

  /** Fails the test unless {@code setCookieHeaders} (an answer's {@code Set-Cookie} values) is one cookie as TLS wants it. */
  public static void assertSecureSessionCookie(List<String> setCookieHeaders) {
    assertThat(setCookieHeaders).singleElement().asString().startsWith(ConsoleGuard.COOKIE + "=")
        .contains("; Secure").contains("; HttpOnly").contains("; SameSite=Strict");
  }
}
