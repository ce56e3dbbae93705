package io.iotpay.phone.pos;

import io.iotpay.foundation.Assert;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The HTTP client the SDK reaches the acquirer's API with: one JSON POST, its status and body. An
 * acquiring app that has its own HTTP stack (certificate pinning, proxies) implements this; {@link
 * #jdk} is the JDK's {@link HttpClient} (HTTP/1.1 or 2, TLS when the base URI is {@code https}).
 */
@FunctionalInterface
public interface AcquirerHttp {
  /** Largest answer body read, bytes: the largest answer (an enrolment, with two certificates) is ~3 KB. */
  int ANSWER_BYTES_MAX = 64 * 1024;

  /** @param body at most {@link #ANSWER_BYTES_MAX} bytes */
  record Answer(int status, byte[] body) {}

  /**
   * POSTs {@code json} (may be empty) to {@code path} with {@code Authorization: Bearer token}
   * (none when {@code bearerToken} is null or empty: an anonymous registration).
   *
   * @param path absolute path, e.g. {@code /v1/pos/merchant/terminals}
   * @return the answer, whatever its status
   * @throws java.io.UncheckedIOException when no answer came (connection refused, timeout, a body too large)
   */
  Answer post(String path, String bearerToken, byte[] json);

  /**
   * The JDK's client against {@code base} ({@code http://host:port} or {@code https://…}).
   *
   * @param timeout per request, connect included
   */
  static AcquirerHttp jdk(URI base, HttpClient client, Duration timeout) {
    Assert.notNull(base, "base");
    Assert.notNull(client, "client");
    Assert.notNull(timeout, "timeout");
    return (path, token, json) -> {
      HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(json));
      if (token != null && !token.isEmpty()) {
        builder.header("Authorization", "Bearer " + token);
      }
      HttpRequest request = builder.build();
      try {
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
          byte[] body = in.readNBytes(ANSWER_BYTES_MAX + 1);
          if (body.length > ANSWER_BYTES_MAX) {
            throw new IOException("the acquirer's answer is larger than " + ANSWER_BYTES_MAX + " bytes");
          }
          return new Answer(response.statusCode(), body);
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("no answer from the acquirer to POST " + path + ": " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.UncheckedIOException("interrupted waiting for the acquirer", new IOException(e));
      }
    };
  }

  /** {@link #jdk(URI, HttpClient, Duration)} with a new client: connect and request timeout {@code timeout}. */
  static AcquirerHttp jdk(URI base, Duration timeout) {
    return jdk(base, HttpClient.newBuilder().connectTimeout(timeout).build(), timeout);
  }
}
