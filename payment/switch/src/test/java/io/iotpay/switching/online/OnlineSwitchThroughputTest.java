package io.iotpay.switching.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Outcome;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Measures authorisations relayed per second: acquirer client → switch (routing, repeat table, log)
 * → an issuer server that approves at once, MACed links, 256 in flight, one process over loopback.
 * A measurement, not a check: it runs only with {@code -Diotpay.online.requests=N} (N ≤ 999,999).
 */
class OnlineSwitchThroughputTest {
  private static final int IN_FLIGHT_MAX = 256;

  @TempDir Path directory;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  @EnabledIfSystemProperty(named = "iotpay.online.requests", matches = "[0-9]{1,6}") // a measurement: only on request, it takes seconds of the shared cores
  void relayedAuthorisations_perSecond(AlgorithmSuite suite) throws Exception {
    int count = Integer.parseInt(System.getProperty("iotpay.online.requests"));
    StandInLimits limits = new StandInLimits(OnlineFixture.cny(5_000), OnlineFixture.cny(8_000), OnlineFixture.cny(100_000));
    try (OnlineFixture.FakeIssuer issuer = new OnlineFixture.FakeIssuer(suite, 2, 0, "A");
        Database database = OnlineFixture.database(directory);
        OnlineSwitch online = new OnlineSwitch(OnlineSwitchConfig.defaults(List.of(OnlineFixture.acquirer(suite)),
            List.of(OnlineFixture.issuer(suite, OnlineFixture.ISSUER_A, 2, issuer.port(), 5_000, limits)),
            List.of(OnlineFixture.RANGES.get(0)), OnlineFixture.storeKeys(suite)), database, OnlineFixture.WIRE).start();
        Iso8583Client acquirer = OnlineFixture.acquirerClient(suite, online.port(OnlineFixture.ACQUIRER))) {
      acquirer.connect();
      Semaphore window = new Semaphore(IN_FLIGHT_MAX);
      AtomicLong approved = new AtomicLong();
      long startNs = System.nanoTime();
      for (int stan = 1; stan <= count; stan++) {
        window.acquire();
        acquirer.sendAsync(OnlineFixture.authorisation(OnlineFixture.CARD_A, stan, OnlineFixture.cny(100)))
            .thenAccept(outcome -> {
              if (outcome instanceof Outcome.Answered) {
                approved.incrementAndGet();
              }
              window.release();
            });
      }
      window.acquire(IN_FLIGHT_MAX);
      double relaySeconds = (System.nanoTime() - startNs) / 1e9;
      assertThat(online.flushLog(60_000)).isTrue();
      double loggedSeconds = (System.nanoTime() - startNs) / 1e9;
      assertThat(approved.get()).isEqualTo(count);
      assertThat(online.query("SELECT COUNT(*) FROM online_message_log")).containsExactly(List.of(String.valueOf(count)));
      System.out.printf("online switch (%s): %d authorisations relayed in %.2f s = %.0f/s; all %d logged after %.2f s%n",
          suite, count, relaySeconds, count / relaySeconds, count, loggedSeconds);
    }
  }
}
