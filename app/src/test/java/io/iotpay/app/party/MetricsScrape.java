package io.iotpay.app.party;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** One {@code GET /metrics} answer over HTTP, read as Prometheus text samples. */
record MetricsScrape(List<String> samples) {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Scrapes {@code http://127.0.0.1:port/metrics}; fails on anything but 200 with Prometheus text. */
  static MetricsScrape of(int port) throws IOException, InterruptedException {
    HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200 || !answer.headers().firstValue("Content-Type").orElse("").startsWith("text/plain")) {
      throw new IOException("GET /metrics on port " + port + " answered " + answer.statusCode());
    }
    return new MetricsScrape(answer.body().lines().filter(line -> !line.isBlank() && !line.startsWith("#")).toList());
  }

  /** The sum of every sample named {@code name} whose labels include each {@code key="value"} given; 0 if none. */
  double value(String name, String... labels) {
    double sum = 0;
    for (String sample : samples) {
      int space = sample.lastIndexOf(' ');
      String series = sample.substring(0, space);
      if (nameOf(series).equals(name) && List.of(labels).stream().allMatch(series::contains)) {
        sum += Double.parseDouble(sample.substring(space + 1));
      }
    }
    return sum;
  }

  /** Every sample name exposed (with its {@code _total}, {@code _bucket}, … suffix). */
  Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    samples.forEach(sample -> names.add(nameOf(sample.substring(0, sample.lastIndexOf(' ')))));
    return names;
  }

  private static String nameOf(String series) {
    int brace = series.indexOf('{');
    return brace < 0 ? series : series.substring(0, brace);
  }
}
