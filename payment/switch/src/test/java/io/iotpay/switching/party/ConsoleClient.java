package io.iotpay.switching.party;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/** One visitor of the switch's HTTP listener over {@code java.net.http}: cookies kept as a browser keeps them, redirects not followed. */
final class ConsoleClient {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([A-Za-z0-9_-]+)\"");

  private final String base;
  private final HttpClient http;

  ConsoleClient(String base) {
    this(base, null);
  }

  /** A visitor over HTTPS ({@code base} {@code https://…}) trusting what {@code tls} trusts; plain HTTP for null. */
  ConsoleClient(String base, SSLContext tls) {
    this.base = base;
    HttpClient.Builder builder = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(10));
    this.http = (tls == null ? builder : builder.sslContext(tls)).build();
  }

  HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  /** A GET as htmx sends it ({@code HX-Request: true}): the console answers 401, not a redirect, without a session. */
  HttpResponse<String> htmxGet(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("HX-Request", "true").GET());
  }

  /** Posts {@code fields} form-encoded as they are (no CSRF token added). */
  HttpResponse<String> post(String path, Map<String, String> fields) throws Exception {
    String form = fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)));
  }

  /** The settlement API: {@code POST /v1/settlement/{date}/close} with this bearer token (none for null). */
  HttpResponse<String> apiClose(String date, String token) throws Exception {
    return send(bearer(HttpRequest.newBuilder(URI.create(base + "/v1/settlement/" + date + "/close"))
        .POST(HttpRequest.BodyPublishers.noBody()), token));
  }

  /** The settlement API: {@code GET /v1/settlement/{date}} with this bearer token (none for null). */
  HttpResponse<String> apiGet(String date, String token) throws Exception {
    return send(bearer(HttpRequest.newBuilder(URI.create(base + "/v1/settlement/" + date)).GET(), token));
  }

  private static HttpRequest.Builder bearer(HttpRequest.Builder request, String token) {
    return token == null ? request : request.header("Authorization", "Bearer " + token);
  }

  /** Opens the login page and logs in with {@code token}; the answer (303 on success). */
  HttpResponse<String> login(String token) throws Exception {
    return post("/console/login", Map.of("csrf", csrfOf(get("/console/login").body()), "token", token));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** The first form's CSRF token on a page. */
  static String csrfOf(String html) {
    Matcher m = CSRF.matcher(html);
    assertThat(m.find()).as("a CSRF field in the page").isTrue();
    return m.group(1);
  }
}
