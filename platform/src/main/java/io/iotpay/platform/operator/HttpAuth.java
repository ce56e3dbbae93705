package io.iotpay.platform.operator;

import io.iotpay.foundation.crypto.DigestAlgorithm;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may call the HTTP API.
 *
 * @param operatorToken the operators' bearer token, 32..{@link #TOKEN_CHARS_MAX} characters (a short
 *     token could be guessed); compared in constant time
 * @param users maps users' bearer tokens to user ids; never null
 * @param accounts which ledger accounts a user holds; never null
 */
public record HttpAuth(String operatorToken, UserTokens users, AccountOwnership accounts) {
  /** Shortest operator token accepted, characters. */
  public static final int OPERATOR_TOKEN_CHARS_MIN = 32;
  /** Longest bearer token read from a request, characters: a bound on work per request. */
  public static final int TOKEN_CHARS_MAX = 512;

  /** @throws IllegalArgumentException when the operator token is too short or too long */
  public HttpAuth {
    Objects.requireNonNull(operatorToken, "operatorToken");
    Objects.requireNonNull(users, "users");
    Objects.requireNonNull(accounts, "accounts");
    if (operatorToken.length() < OPERATOR_TOKEN_CHARS_MIN || operatorToken.length() > TOKEN_CHARS_MAX) {
      throw new IllegalArgumentException("operator token must have " + OPERATOR_TOKEN_CHARS_MIN + ".." + TOKEN_CHARS_MAX + " characters");
    }
  }

  /**
   * Whether {@code token} is the operator token. Both sides are hashed first, so the comparison takes
   * the same time whatever the token's length and however much of it matches.
   */
  public boolean isOperator(String token) {
    return MessageDigest.isEqual(digest(token), digest(operatorToken));
  }

  /** The user the token belongs to; empty for an unknown token. */
  Optional<String> userOf(String token) {
    return users.userOf(token);
  }

  private static byte[] digest(String token) {
    return DigestAlgorithm.SHA_256.digest(token.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "HttpAuth[operatorToken=***]";
  }
}
