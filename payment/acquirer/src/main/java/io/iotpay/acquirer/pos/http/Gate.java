package io.iotpay.acquirer.pos.http;

import io.iotpay.acquirer.pos.merchant.KeyedHash;
import io.iotpay.acquirer.pos.merchant.MerchantId;
import io.iotpay.foundation.crypto.DigestAlgorithm;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Who is calling: an operator (a bearer token from {@link PosHttpConfig#operatorTokens()}, compared
 * in constant time) or a merchant (the token issued at registration: {@code mt1.<merchant id>.<mac>},
 * the mac an HMAC of the merchant id under the merchant token key, so it is checked without a
 * lookup and can be given again to a retried registration).
 */
final class Gate {
  private static final String BEARER = "Bearer ";
  private static final String MERCHANT_TOKEN_PREFIX = "mt1.";
  private static final String MAC_DOMAIN = "merchant-token";

  private final Map<String, byte[]> operatorTokenDigests;
  private final KeyedHash merchantMac;

  Gate(PosHttpConfig config, KeyedHash merchantMac) {
    this.merchantMac = merchantMac;
    java.util.HashMap<String, byte[]> digests = new java.util.HashMap<>();
    config.operatorTokens().forEach((name, token) -> digests.put(name, digest(token)));
    this.operatorTokenDigests = Map.copyOf(digests);
  }

  /** The merchant's bearer token. */
  String merchantToken(MerchantId id) {
    return MERCHANT_TOKEN_PREFIX + id.value() + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(merchantMac.of(MAC_DOMAIN, id.value()));
  }

  /**
   * @return the operator's name
   * @throws ApiException 401 without a token or with one no operator holds; 403 with a merchant's token
   */
  String requireOperator(Context ctx) {
    Optional<String> found = operatorOf(token(ctx));
    if (found.isPresent()) {
      return found.get();
    }
    if (merchantOf(token(ctx)).isPresent()) {
      throw new ApiException(403, "FORBIDDEN", "this is an operator action");
    }
    throw ApiException.unauthenticated("the bearer token is not valid");
  }

  /** The name of the operator holding {@code token}, or empty (the console's login asks this too). */
  Optional<String> operatorOf(String token) {
    byte[] presented = digest(token);
    String found = null;
    // Every operator's digest is compared, so the time taken does not tell which one matched.
    for (Map.Entry<String, byte[]> entry : operatorTokenDigests.entrySet()) {
      if (MessageDigest.isEqual(presented, entry.getValue())) {
        found = entry.getKey();
      }
    }
    return Optional.ofNullable(found);
  }

  /** @throws ApiException 401 without a valid merchant token */
  MerchantId requireMerchant(Context ctx) {
    return merchantOf(token(ctx)).orElseThrow(() -> ApiException.unauthenticated("the bearer token is not a valid merchant token"));
  }

  private Optional<MerchantId> merchantOf(String token) {
    if (!token.startsWith(MERCHANT_TOKEN_PREFIX)) {
      return Optional.empty();
    }
    int dot = token.indexOf('.', MERCHANT_TOKEN_PREFIX.length());
    if (dot < 0) {
      return Optional.empty();
    }
    MerchantId id;
    try {
      id = new MerchantId(token.substring(MERCHANT_TOKEN_PREFIX.length(), dot));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    byte[] expected = merchantToken(id).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.UTF_8)) ? Optional.of(id) : Optional.empty();
  }

  private static String token(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw ApiException.unauthenticated("an 'Authorization: Bearer <token>' header is required");
    }
    String token = header.substring(BEARER.length()).trim();
    if (token.isEmpty() || token.length() > PosHttpConfig.TOKEN_CHARS_MAX) {
      throw ApiException.unauthenticated("the bearer token is empty or longer than " + PosHttpConfig.TOKEN_CHARS_MAX + " characters");
    }
    return token;
  }

  private static byte[] digest(String token) {
    return DigestAlgorithm.SHA_256.digest(token.getBytes(StandardCharsets.UTF_8));
  }
}
