package io.iotpay.protocol.iso8583;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A throughput figure for the link, printed, not asserted (machines differ): one client, MACs on,
 * {@value #IN_FLIGHT} requests in flight over loopback TCP to a server whose handler approves at once.
 * {@code -Diso8583.throughput.requests=50000} for the report's figure (default 10,000 to keep the
 * suite quick). Every request must be answered with its own response: that part is asserted.
 */
class Iso8583ThroughputTest {
  private static final int IN_FLIGHT = 256;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void oneClient_macOn_loopback(AlgorithmSuite suite) throws Exception {
    int requests = Integer.getInteger("iso8583.throughput.requests", 10_000);
    try (Iso8583Server server = LinkFixture.server(suite, LinkFixture::approveWithStan);
        Iso8583Client client = LinkFixture.client(suite, server.port(), LinkFixture.clientSettings())) {
      client.connect();
      run(client, Math.min(requests, 5_000)); // warm-up: JIT and connection
      long started = System.nanoTime();
      long wrong = run(client, requests);
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf("ISO 8583 link throughput [suite=%s, requests=%d, inFlight=%d, mac=on]: %.0f requests/s (%.2f s)%n",
          suite, requests, IN_FLIGHT, requests / seconds, seconds);
      assertThat(wrong).isZero();
    }
  }

  /** Sends {@code count} authorisations keeping at most IN_FLIGHT outstanding; returns how many went wrong. */
  private static long run(Iso8583Client client, int count) throws InterruptedException {
    Semaphore window = new Semaphore(IN_FLIGHT);
    AtomicLong wrong = new AtomicLong();
    for (int i = 0; i < count; i++) {
      window.acquire();
      int stan = client.nextStan();
      CompletableFuture<Outcome> outcome = client.sendAsync(Samples.authorisation(stan));
      outcome.thenAccept(result -> {
        if (!(result instanceof Outcome.Answered answered && answered.response().stan() == stan)) {
          wrong.incrementAndGet();
        }
        window.release();
      });
    }
    window.acquire(IN_FLIGHT);
    return wrong.get();
  }
}
