package io.iotpay.switching.party;

import io.iotpay.console.ConsoleTestClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * One visitor of the switch's HTTP listener: the console kit's {@link ConsoleTestClient} (cookies kept
 * as a browser keeps them, redirects not followed) plus the switch's settlement API.
 */
final class ConsoleClient {
  private final ConsoleTestClient client;

  ConsoleClient(String base) {
    this(base, null);
  }

  /** A visitor over HTTPS ({@code base} {@code https://…}) trusting what {@code tls} trusts; plain HTTP for null. */
  ConsoleClient(String base, SSLContext tls) {
    this.client = new ConsoleTestClient(base, tls);
  }

  HttpResponse<String> get(String path) throws Exception {
    return client.get(path);
  }

  /** A GET as htmx sends it ({@code HX-Request: true}): the console answers 401, not a redirect, without a session. */
  HttpResponse<String> htmxGet(String path) throws Exception {
    return client.htmxGet(path);
  }

  /** Posts {@code fields} form-encoded as they are (no CSRF token added). */
  HttpResponse<String> post(String path, Map<String, String> fields) throws Exception {
    return client.post(path, fields);
  }

  /** The settlement API: {@code POST /v1/settlement/{date}/close} with this bearer token (none for null). */
  HttpResponse<String> apiClose(String date, String token) throws Exception {
    return client.send(bearer(HttpRequest.newBuilder(URI.create(client.base() + "/v1/settlement/" + date + "/close"))
        .POST(HttpRequest.BodyPublishers.noBody()), token));
  }

  /** The settlement API: {@code GET /v1/settlement/{date}} with this bearer token (none for null). */
  HttpResponse<String> apiGet(String date, String token) throws Exception {
    return client.send(bearer(HttpRequest.newBuilder(URI.create(client.base() + "/v1/settlement/" + date)).GET(), token));
  }

  private static HttpRequest.Builder bearer(HttpRequest.Builder request, String token) {
    return token == null ? request : request.header("Authorization", "Bearer " + token);
  }

  /** Opens the login page and logs in with {@code token}; the answer (303 on success). */
  HttpResponse<String> login(String token) throws Exception {
    return client.login(token);
  }

  /** The first form's CSRF token on a page. */
  static String csrfOf(String html) {
    return ConsoleTestClient.csrfOf(html);
  }
}
