package io.iotpay.console;

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

/**
 * A console visitor for tests: the JDK's HTTP client with its own cookie jar (one session), no
 * redirects followed, so each answer's status and {@code Location} are what the server said.
 */
public final class ConsoleTestClient {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([A-Za-z0-9_-]+)\"");

  private final String base;
  private final HttpClient http;

  public ConsoleTestClient(String base) {
    this(base, null);
  }

  /** A visitor over HTTPS ({@code base} {@code https://…}) trusting what {@code tls} trusts; plain HTTP for null. */
  public ConsoleTestClient(String base, SSLContext tls) {
    this.base = base;
    HttpClient.Builder builder = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(10));
    this.http = (tls == null ? builder : builder.sslContext(tls)).build();
  }

  public HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  /** A GET as htmx sends it ({@code HX-Request: true}): the console answers 401, not a redirect, without a session. */
  public HttpResponse<String> htmxGet(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("HX-Request", "true").GET());
  }

  /** Posts {@code fields} form-encoded as they are (no CSRF token added). */
  public HttpResponse<String> post(String path, Map<String, String> fields) throws Exception {
    String form = fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)));
  }

  /** Opens the login page and logs in with {@code token}; the answer (303 on success). */
  public HttpResponse<String> login(String token) throws Exception {
    return post(ConsolePaths.LOGIN, Map.of("csrf", csrfOf(get(ConsolePaths.LOGIN).body()), "token", token));
  }

  /** Sends {@code request} (30 s timeout), the body read as UTF-8. */
  public HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  public String base() {
    return base;
  }

  /** The first form's CSRF token on a page. */
  public static String csrfOf(String html) {
    Matcher m = CSRF.matcher(html);
    assertThat(m.find()).as("a CSRF field in the page").isTrue();
    return m.group(1);
  }
}
