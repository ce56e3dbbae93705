package io.iotpay.protocol.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The metrics-only listener over real HTTP on loopback: GET /metrics and nothing else. */
class MetricsListenerTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void getMetrics_answersPrometheusText_otherPathsAndMethodsAreRefused() throws Exception {
    PartyMetrics metrics = new PartyMetrics("switch", "SWITCH");
    metrics.counter("iotpay.switch.stand.in", "answers the switch gave in an issuer's place").increment(3);
    try (MetricsListener listener = MetricsListener.start(new InetSocketAddress("127.0.0.1", 0), metrics::scrape)) {
      String base = "http://127.0.0.1:" + listener.port();
      HttpResponse<String> scrape = send(HttpRequest.newBuilder(URI.create(base + "/metrics")).GET());
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.headers().firstValue("Content-Type")).hasValue(MetricsListener.CONTENT_TYPE);
      assertThat(scrape.body()).contains("iotpay_switch_stand_in_total{party=\"SWITCH\",role=\"switch\"} 3.0");

      assertThat(send(HttpRequest.newBuilder(URI.create(base + "/other")).GET()).statusCode()).isEqualTo(404);
      assertThat(send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
          .POST(HttpRequest.BodyPublishers.ofString("x"))).statusCode()).isEqualTo(405);
    }
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
