package io.iotpay.platform.operator;

import io.iotpay.platform.access.http.ApiException;
import io.javalin.http.Context;
import java.util.Optional;

/** Bearer-token checks: who is calling. */
final class BearerTokenCheck {
  private static final String BEARER = "Bearer ";

  private final HttpAuth auth;

  BearerTokenCheck(HttpAuth auth) {
    this.auth = auth;
  }

  /**
   * @throws ApiException 401 without a token or with an unknown one; 403 with a user's token
   */
  void requireOperator(Context ctx) {
    String token = token(ctx);
    if (auth.isOperator(token)) {
      return;
    }
    if (auth.userOf(token).isPresent()) {
      throw ApiException.forbidden("this is an operator action");
    }
    throw ApiException.unauthenticated("the bearer token is not valid");
  }

  /**
   * @return the calling user's id
   * @throws ApiException 401 without a token or with one nobody holds; 403 with the operator's token
   *     (a valid token, but user endpoints act for a user)
   */
  String requireUser(Context ctx) {
    String token = token(ctx);
    Optional<String> user = auth.userOf(token);
    if (user.isPresent()) {
      return user.get();
    }
    if (auth.isOperator(token)) {
      throw ApiException.forbidden("the operator's token is not allowed here; this is a user action");
    }
    throw ApiException.unauthenticated("the bearer token is not valid");
  }

  private static String token(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw ApiException.unauthenticated("an 'Authorization: Bearer <token>' header is required");
    }
    String token = header.substring(BEARER.length()).trim();
    if (token.isEmpty() || token.length() > HttpAuth.TOKEN_CHARS_MAX) {
      throw ApiException.unauthenticated("the bearer token is empty or longer than " + HttpAuth.TOKEN_CHARS_MAX + " characters");
    }
    return token;
  }
}
