package io.iotpay.agent.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.protocol.device.RefusalReason;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends envelopes to the platform's HTTP API ({@code POST {base}/v1/devices/{id}/messages}, body and
 * answer {@code application/cose}) for cloud-connected devices: a car's head unit, a smart speaker.
 *
 * <p>A 5xx answer, a timeout or a failed connection is retried with <em>the same bytes</em> (the
 * platform answers a duplicate with its first answer), at most {@link Config#attemptsMax()} times in
 * all, waiting {@link Config#retryDelay()} doubled after each failure. A 4xx answer is the platform's
 * refusal and is not retried: the future fails with a {@link TransportException} whose reason is the
 * refusal's code ({@code REPLAYED_COUNTER}, {@code BAD_SIGNATURE}, …).
 *
 * <p>Thread-safe. Each send runs on its own virtual thread.
 */
public final class HttpDeviceTransport implements DeviceTransport {
  private static final Pattern REASON_CODE = Pattern.compile("[A-Z0-9_]{1,64}");
  private static final Pattern TRAILING_SLASHES = Pattern.compile("/+$");
  private static final Logger LOG = LoggerFactory.getLogger(HttpDeviceTransport.class);
  /** Largest answer read, bytes: the SDK's {@code EnvelopeClient.ANSWER_BYTES_MAX}. */
  public static final int ANSWER_BYTES_MAX = 16 * 1024;
  /** Largest error body read, bytes. */
  static final int ERROR_BYTES_MAX = 4 * 1024;
  /** Longest wait between two attempts, whatever the doubling reaches. */
  static final Duration RETRY_DELAY_MAX = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param baseUri the API's root, e.g. {@code https://platform.example:8443}; never null
   * @param deviceId this device's id (the envelope's signer); 1..64 characters
   * @param requestTimeout how long one attempt waits for the whole answer; 1 ms..5 min
   * @param attemptsMax attempts in all for one envelope, 1..10 (bounds the work of a dead platform)
   * @param retryDelay wait after the first failed attempt, doubled after each, at most {@link #RETRY_DELAY_MAX}; 0..1 min
   * @param sslContext for {@code https} with a private trust anchor; null for the JVM's default
   * @param localAddress the local address connections are made from (a multi-homed device, or a
   *     test's second device on another loopback address); null for the system's choice
   */
  public record Config(URI baseUri, String deviceId, Duration requestTimeout, int attemptsMax, Duration retryDelay, SSLContext sslContext,
      java.net.InetAddress localAddress) {
    /** @throws IllegalArgumentException when a setting is out of range */
    public Config {
      Objects.requireNonNull(baseUri, "baseUri");
      Objects.requireNonNull(requestTimeout, "requestTimeout");
      Objects.requireNonNull(retryDelay, "retryDelay");
      if (deviceId == null || deviceId.isEmpty() || deviceId.length() > 64) {
        throw new IllegalArgumentException("device id must have 1..64 characters");
      }
      if (requestTimeout.compareTo(Duration.ofMillis(1)) < 0 || requestTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException("requestTimeout " + requestTimeout + " outside 1 ms..5 min");
      }
      if (attemptsMax < 1 || attemptsMax > 10) {
        throw new IllegalArgumentException("attemptsMax " + attemptsMax + " outside 1..10");
      }
      if (retryDelay.isNegative() || retryDelay.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException("retryDelay " + retryDelay + " outside 0..1 min");
      }
    }

    /** Connections from the system's choice of local address. */
    public Config(URI baseUri, String deviceId, Duration requestTimeout, int attemptsMax, Duration retryDelay, SSLContext sslContext) {
      this(baseUri, deviceId, requestTimeout, attemptsMax, retryDelay, sslContext, null);
    }

    /** 10 s per attempt, 4 attempts, 500 ms first retry delay, the JVM's TLS trust. */
    public static Config defaults(URI baseUri, String deviceId) {
      return new Config(baseUri, deviceId, Duration.ofSeconds(10), 4, Duration.ofMillis(500), null);
    }

    public Config withLocalAddress(java.net.InetAddress value) {
      return new Config(baseUri, deviceId, requestTimeout, attemptsMax, retryDelay, sslContext, value);
    }
  }

  private final Config config;
  private final URI messagesUri;
  private final HttpClient client;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Set<CompletableFuture<byte[]>> pending = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public HttpDeviceTransport(Config config) {
    this.config = Objects.requireNonNull(config, "config");
    String base = TRAILING_SLASHES.matcher(config.baseUri().toString()).replaceAll("");
    this.messagesUri = URI.create(base + "/v1/devices/" + URLEncoder.encode(config.deviceId(), StandardCharsets.UTF_8) + "/messages");
    HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(config.requestTimeout());
    if (config.sslContext() != null) {
      builder.sslContext(config.sslContext());
    }
    if (config.localAddress() != null) {
      builder.localAddress(config.localAddress());
    }
    this.client = builder.build();
  }

  /**
   * Sends {@code envelope}, retrying the same bytes on 5xx, timeouts and connection failures.
   *
   * @return completes with the answer bytes (at most {@link #ANSWER_BYTES_MAX}), or exceptionally with
   *     {@link TransportException}: the refusal's code for a 4xx; {@code TIMEOUT}, {@code CONNECTION} or
   *     {@code HTTP_5xx} (retryable) after the last attempt; {@code OVERSIZED} for a too-large answer;
   *     {@code CLOSED} when the transport was closed first
   */
  @Override
  public CompletableFuture<byte[]> send(byte[] envelope) {
    byte[] bytes = envelope.clone();
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    if (closed) {
      result.completeExceptionally(new TransportException("CLOSED", false, "the transport is closed"));
      return result;
    }
    pending.add(result);
    result.whenComplete((answer, failure) -> pending.remove(result));
    try {
      executor.execute(() -> {
        try {
          result.complete(sendWithRetries(bytes));
        } catch (RuntimeException e) {
          result.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(new TransportException("CLOSED", false, "the transport is closed", e));
    }
    return result;
  }

  /** What one attempt came to. */
  private sealed interface Attempt {
    record Answered(byte[] answer) implements Attempt {}

    /** The same bytes may succeed later: 5xx, timeout, connection failure. */
    record Retry(TransportException failure) implements Attempt {}

    /** Final: the platform refused the envelope, or the answer is unusable. */
    record Failed(TransportException failure) implements Attempt {}
  }

  private byte[] sendWithRetries(byte[] envelope) {
    Duration delay = config.retryDelay();
    for (int attempt = 1; ; attempt++) {
      switch (attempt(envelope)) {
        case Attempt.Answered answered -> {
          return answered.answer();
        }
        case Attempt.Failed failed -> throw failed.failure();
        case Attempt.Retry retry -> {
          if (attempt >= config.attemptsMax() || closed) {
            throw retry.failure();
          }
          LOG.debug("Envelope not delivered, retrying [device={}, attempt={}, reason={}]", config.deviceId(), attempt, retry.failure().reason());
        }
      }
      pause(delay);
      delay = min(delay.multipliedBy(2), RETRY_DELAY_MAX);
    }
  }

  /** One POST and what came of it. */
  private Attempt attempt(byte[] envelope) {
    HttpRequest request = HttpRequest.newBuilder(messagesUri)
        .timeout(config.requestTimeout())
        .header("Content-Type", "application/cose")
        .header("Accept", "application/cose, application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(envelope))
        .build();
    try {
      HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        return outcome(response.statusCode(), body);
      }
    } catch (HttpTimeoutException e) {
      return new Attempt.Retry(new TransportException("TIMEOUT", true, "no answer within " + config.requestTimeout(), e));
    } catch (IOException e) {
      return new Attempt.Retry(new TransportException("CONNECTION", true,
          "cannot reach " + messagesUri.getHost() + ": " + e.getClass().getSimpleName(), e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Attempt.Failed(new TransportException("CLOSED", false, "interrupted while sending", e));
    }
  }

  private static Attempt outcome(int status, InputStream body) throws IOException {
    if (status == 200) {
      byte[] answer = body.readNBytes(ANSWER_BYTES_MAX + 1);
      if (answer.length > ANSWER_BYTES_MAX) {
        return new Attempt.Failed(new TransportException("OVERSIZED", false, "answer larger than " + ANSWER_BYTES_MAX + " bytes"));
      }
      return new Attempt.Answered(answer);
    }
    String code = errorCode(body.readNBytes(ERROR_BYTES_MAX)).orElse("HTTP_" + status);
    String message = "the platform answered " + status + " " + code;
    if (status >= 500) {
      return new Attempt.Retry(new TransportException(code, true, message));
    }
    // DUPLICATE_IN_PROGRESS: the first copy is still being handled; the caller may resend the same bytes later.
    return new Attempt.Failed(new TransportException(code, RefusalReason.named(code).map(RefusalReason::retryable).orElse(false), message));
  }

  /** The {@code error} code of the platform's JSON error body, when it has one of the expected shape. */
  static Optional<String> errorCode(byte[] body) {
    try {
      JsonNode error = JSON.readTree(body);
      JsonNode code = error == null ? null : error.get("error");
      if (code != null && code.isTextual() && REASON_CODE.matcher(code.asText()).matches()) {
        return Optional.of(code.asText());
      }
    } catch (IOException | RuntimeException e) {
      // Not our JSON (a proxy's HTML page): the status code alone says what happened.
    }
    return Optional.empty();
  }

  private void pause(Duration delay) {
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportException("CLOSED", false, "interrupted while waiting to retry", e);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Stops sending: envelopes not yet answered fail with {@code CLOSED}. Idempotent. */
  @Override
  public void close() {
    closed = true;
    executor.shutdownNow();
    for (CompletableFuture<byte[]> future : pending) {
      future.completeExceptionally(new TransportException("CLOSED", false, "the transport was closed before an answer"));
    }
    client.close();
  }
}
