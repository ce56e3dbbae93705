package io.iotpay.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The transport against a real HTTP server on loopback (the JDK's {@code HttpServer}) whose answers
 * each test scripts: retries resend the same bytes, refusals are not retried, answers are bounded.
 * No keys are involved here (envelopes are opaque bytes to the transport); the platform's own tests
 * run it against the real API in both suites.
 */
class HttpDeviceTransportTest {
  private static final byte[] ENVELOPE = "envelope-bytes".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ANSWER = "signed-answer".getBytes(StandardCharsets.US_ASCII);

  private final ExecutorService serverThreads = Executors.newCachedThreadPool();
  private final List<byte[]> received = new CopyOnWriteArrayList<>();
  private final List<String> paths = new CopyOnWriteArrayList<>();
  private final List<String> contentTypes = new CopyOnWriteArrayList<>();
  private final CountDownLatch releaseSlowAnswer = new CountDownLatch(1);
  private HttpServer server;

  /** What the server answers to the n-th request (0-based). */
  @FunctionalInterface
  interface Script {
    void answer(int index, HttpExchange exchange) throws IOException, InterruptedException;
  }

  private URI serve(Script script) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(serverThreads);
    AtomicInteger count = new AtomicInteger();
    server.createContext("/", exchange -> {
      received.add(exchange.getRequestBody().readAllBytes());
      paths.add(exchange.getRequestURI().getPath());
      contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
      try {
        script.answer(count.getAndIncrement(), exchange);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        exchange.close();
      }
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    releaseSlowAnswer.countDown();
    if (server != null) {
      server.stop(0);
    }
    serverThreads.shutdownNow();
  }

  private static void reply(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static void error(HttpExchange exchange, int status, String code) throws IOException {
    reply(exchange, status, "application/json",
        ("{\"error\":\"" + code + "\",\"detail\":\"scripted\"}").getBytes(StandardCharsets.UTF_8));
  }

  private static HttpDeviceTransport transport(URI base, int attempts, Duration timeout) {
    return new HttpDeviceTransport(new HttpDeviceTransport.Config(base, "washer-7", timeout, attempts, Duration.ofMillis(5), null));
  }

  private static TransportException failure(HttpDeviceTransport transport) {
    try {
      transport.send(ENVELOPE).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(TransportException.class);
      return (TransportException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError("no failure but " + e, e);
    }
    throw new AssertionError("the send succeeded");
  }

  @Test
  void send_postsTheEnvelopeToTheDevicesMessages_andReturnsTheAnswer() throws Exception {
    URI base = serve((index, exchange) -> reply(exchange, 200, "application/cose", ANSWER));
    try (HttpDeviceTransport transport = transport(base, 3, Duration.ofSeconds(5))) {
      assertThat(transport.send(ENVELOPE).get(30, TimeUnit.SECONDS)).isEqualTo(ANSWER);
    }
    assertThat(received).hasSize(1);
    assertThat(received.get(0)).isEqualTo(ENVELOPE);
    assertThat(paths).containsExactly("/v1/devices/washer-7/messages");
    assertThat(contentTypes).containsExactly("application/cose");
  }

  @Test
  void send_when5xxTwice_retriesTheSameBytes_andReturnsTheThirdAnswer() throws Exception {
    URI base = serve((index, exchange) -> {
      if (index < 2) {
        error(exchange, 503, "UNAVAILABLE");
      } else {
        reply(exchange, 200, "application/cose", ANSWER);
      }
    });
    try (HttpDeviceTransport transport = transport(base, 3, Duration.ofSeconds(5))) {
      assertThat(transport.send(ENVELOPE).get(30, TimeUnit.SECONDS)).isEqualTo(ANSWER);
    }
    assertThat(received).hasSize(3).allSatisfy(body -> assertThat(body).isEqualTo(ENVELOPE));
  }

  @Test
  void send_whenAlways5xx_givesUpAfterAttemptsMax_retryable() throws Exception {
    URI base = serve((index, exchange) -> error(exchange, 503, "UNAVAILABLE"));
    try (HttpDeviceTransport transport = transport(base, 4, Duration.ofSeconds(5))) {
      TransportException failure = failure(transport);
      assertThat(failure.reason()).isEqualTo("UNAVAILABLE");
      assertThat(failure.retryable()).isTrue();
    }
    assertThat(received).hasSize(4);
  }

  @Test
  void send_when4xxRefusal_failsWithItsCode_withoutRetrying() throws Exception {
    URI base = serve((index, exchange) -> error(exchange, 409, "REPLAYED_COUNTER"));
    try (HttpDeviceTransport transport = transport(base, 4, Duration.ofSeconds(5))) {
      TransportException failure = failure(transport);
      assertThat(failure.reason()).isEqualTo("REPLAYED_COUNTER");
      assertThat(failure.retryable()).isFalse();
    }
    assertThat(received).hasSize(1);
  }

  @Test
  void send_whenDuplicateInProgress_failsRetryableForTheCaller_withoutRetryingItself() throws Exception {
    URI base = serve((index, exchange) -> error(exchange, 409, "DUPLICATE_IN_PROGRESS"));
    try (HttpDeviceTransport transport = transport(base, 4, Duration.ofSeconds(5))) {
      TransportException failure = failure(transport);
      assertThat(failure.reason()).isEqualTo("DUPLICATE_IN_PROGRESS");
      assertThat(failure.retryable()).isTrue();
    }
    assertThat(received).hasSize(1);
  }

  @Test
  void send_whenErrorBodyIsNotOurJson_usesTheStatus() throws Exception {
    URI base = serve((index, exchange) -> reply(exchange, 400, "text/html", "<html>bad gateway</html>".getBytes(StandardCharsets.UTF_8)));
    try (HttpDeviceTransport transport = transport(base, 2, Duration.ofSeconds(5))) {
      assertThat(failure(transport).reason()).isEqualTo("HTTP_400");
    }
  }

  @Test
  void send_whenFirstAttemptTimesOut_retriesAndReturnsTheSecondAnswer() throws Exception {
    URI base = serve((index, exchange) -> {
      if (index == 0) {
        // Held until the test ends: the client must give up on its own timeout.
        releaseSlowAnswer.await(30, TimeUnit.SECONDS);
        return;
      }
      reply(exchange, 200, "application/cose", ANSWER);
    });
    // 2 s, not less: the second attempt is answered at once, but on shared, loaded cores a shorter
    // timeout can expire before it is, and a third attempt would follow.
    try (HttpDeviceTransport transport = transport(base, 3, Duration.ofSeconds(2))) {
      assertThat(transport.send(ENVELOPE).get(30, TimeUnit.SECONDS)).isEqualTo(ANSWER);
    }
    assertThat(received).hasSize(2).allSatisfy(body -> assertThat(body).isEqualTo(ENVELOPE));
  }

  @Test
  void send_whenNothingListens_failsWithConnection_retryable() throws Exception {
    URI base = serve((index, exchange) -> reply(exchange, 200, "application/cose", ANSWER));
    server.stop(0);
    server = null;
    try (HttpDeviceTransport transport = transport(base, 2, Duration.ofSeconds(5))) {
      TransportException failure = failure(transport);
      assertThat(failure.reason()).isIn("CONNECTION", "TIMEOUT");
      assertThat(failure.retryable()).isTrue();
    }
  }

  @Test
  void send_whenAnswerIsOversized_failsWithoutRetrying() throws Exception {
    URI base = serve((index, exchange) -> reply(exchange, 200, "application/cose", new byte[HttpDeviceTransport.ANSWER_BYTES_MAX + 1]));
    try (HttpDeviceTransport transport = transport(base, 3, Duration.ofSeconds(5))) {
      TransportException failure = failure(transport);
      assertThat(failure.reason()).isEqualTo("OVERSIZED");
      assertThat(failure.retryable()).isFalse();
    }
    assertThat(received).hasSize(1);
  }

  @Test
  void send_afterClose_failsClosed() throws Exception {
    URI base = serve((index, exchange) -> reply(exchange, 200, "application/cose", ANSWER));
    HttpDeviceTransport transport = transport(base, 1, Duration.ofSeconds(5));
    transport.close();
    assertThat(failure(transport).reason()).isEqualTo("CLOSED");
    assertThat(received).isEmpty();
  }

  @Test
  void config_refusesOutOfRangeSettings() {
    URI base = URI.create("http://127.0.0.1:1");
    assertThatThrownBy(() -> new HttpDeviceTransport.Config(base, "d", Duration.ofSeconds(1), 0, Duration.ZERO, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attemptsMax");
    assertThatThrownBy(() -> new HttpDeviceTransport.Config(base, "d", Duration.ofSeconds(1), 11, Duration.ZERO, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attemptsMax");
    assertThatThrownBy(() -> new HttpDeviceTransport.Config(base, "", Duration.ofSeconds(1), 1, Duration.ZERO, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("device id");
    assertThatThrownBy(() -> new HttpDeviceTransport.Config(base, "d", Duration.ZERO, 1, Duration.ZERO, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("requestTimeout");
  }
}
