package io.iotpay.acquirer.pos.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One visitor of an acquirer console over {@code java.net.http}, its cookies kept by a {@link CookieManager}
 * as a browser keeps them (so the tests see the cookie's path and attributes applied), redirects not followed.
 */
public final class ConsoleBrowserSession {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([A-Za-z0-9_-]+)\"");
  private static final String COOKIE = "iotpay_console";

  private final String base;
  private final CookieManager cookies = new CookieManager();
  private final HttpClient http;

  /** @param base e.g. {@code http://127.0.0.1:8085} */
  public ConsoleBrowserSession(String base) {
    this(base, null);
  }

  /** @param base e.g. {@code https://127.0.0.1:8085}; @param tls the client's TLS context, null for the JDK's default */
  public ConsoleBrowserSession(String base, javax.net.ssl.SSLContext tls) {
    this.base = base;
    HttpClient.Builder builder = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(10));
    this.http = (tls == null ? builder : builder.sslContext(tls)).build();
  }

  public HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** A GET as htmx sends it (header {@code HX-Request: true}). */
  public HttpResponse<String> htmxGet(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("HX-Request", "true").GET().build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** Posts {@code fields} form-encoded, as they are (no CSRF token added). */
  public HttpResponse<String> post(String path, Map<String, String> fields) throws Exception {
    String form = fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** Opens the login page and logs in with {@code token}; the answer (303 on success). */
  public HttpResponse<String> login(String token) throws Exception {
    String csrf = csrfOf(get("/console/login").body());
    return post("/console/login", Map.of("csrf", csrf, "token", token));
  }

  /** The session cookie's value the browser holds now, if any. */
  public Optional<String> sessionId() {
    return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(COOKIE)).map(HttpCookie::getValue)
        .filter(v -> !v.isEmpty()).findFirst();
  }

  /** Makes the browser hold {@code id} as its session cookie (as a planted or stolen id would be). */
  public void plantSessionId(String id) {
    HttpCookie cookie = new HttpCookie(COOKIE, id);
    cookie.setPath("/console");
    cookie.setVersion(0);
    cookies.getCookieStore().removeAll();
    cookies.getCookieStore().add(URI.create(base + "/console"), cookie);
  }

  /** The first form's CSRF token on a page. */
  public static String csrfOf(String html) {
    Matcher m = CSRF.matcher(html);
    assertThat(m.find()).as("a CSRF field in the page").isTrue();
    return m.group(1);
  }
}
