package io.iotpay.platform.operator;

import io.iotpay.foundation.crypto.DigestAlgorithm;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Maps a user's bearer token to their user id. A deployment puts its identity provider behind this
 * (an OAuth introspection call, a session store); tests use {@link #inMemory}.
 *
 * <p>Implementations are thread-safe and must not leak, through timing, how much of a token matched.
 */
@FunctionalInterface
public interface UserTokens {
  /**
   * @param token the bearer token as sent, at most {@link HttpAuth#TOKEN_CHARS_MAX} characters; never null
   * @return the user id (1..64 of {@code A-Z a-z 0-9 -}), or empty when the token is unknown or expired
   */
  Optional<String> userOf(String token);

  /**
   * Tokens held in memory. Each is kept and looked up by its SHA-256, so a lookup compares digests
   * (whose timing tells nothing about the token) and the map holds no usable token.
   *
   * @param userByToken token → user id; copied; tokens non-empty
   */
  static UserTokens inMemory(Map<String, String> userByToken) {
    Map<String, String> userByDigest = new HashMap<>();
    userByToken.forEach((token, user) -> {
      if (token == null || token.isEmpty()) {
        throw new IllegalArgumentException("empty user token");
      }
      userByDigest.put(digest(token), Objects.requireNonNull(user, "user id"));
    });
    Map<String, String> frozen = Map.copyOf(userByDigest);
    return token -> Optional.ofNullable(frozen.get(digest(token)));
  }

  private static String digest(String token) {
    return HexFormat.of().formatHex(DigestAlgorithm.SHA_256.digest(token.getBytes(StandardCharsets.UTF_8)));
  }
}
