package io.iotpay.switching.online;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.iso8583.AuthorisationRequest;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Iso8583Message;
import io.iotpay.protocol.iso8583.Iso8583Server;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.LinkSettings;
import io.iotpay.protocol.iso8583.MonthDayTime;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.iso8583.ZoneKeys;
import io.iotpay.protocol.transit.CardRange;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.YearMonth;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;

/** Keys, links, cards and a fake issuer for the online switch tests (real loopback TCP). */
final class OnlineFixture {
  static final Iso8583Wire WIRE = Iso8583Wire.load();
  static final Duration WAIT = Duration.ofSeconds(20);
  static final PartyId ACQUIRER = PartyId.of("ACQ1");
  static final PartyId ISSUER_A = PartyId.of("ISSA");
  static final PartyId ISSUER_B = PartyId.of("ISSB");
  /** Range 621234 → A, range 622 → B (the same {@link CardRange} records transit routes by). */
  static final List<CardRange> RANGES = List.of(new CardRange("621234", ISSUER_A), new CardRange("622", ISSUER_B));
  static final Pan CARD_A = Pan.withCheckDigit("621234567890123");
  static final Pan CARD_A2 = Pan.withCheckDigit("621234000011112");
  static final Pan CARD_B = Pan.withCheckDigit("622000000000001");
  static final Pan CARD_UNKNOWN = Pan.withCheckDigit("999999000000001");
  static final MonthDayTime AT = new MonthDayTime(MonthDay.of(12, 7), LocalTime.of(1, 0, 0));
  static final String TERMINAL = "TERM0001";

  private OnlineFixture() {}

  /** Distinct fixed zone keys per link (the number makes them differ); 16 bytes suit both suites. */
  static ZoneKeys zoneKeys(AlgorithmSuite suite, int link) {
    String n = Integer.toHexString(link);
    return new ZoneKeys(suite, SecretKeyBytes.fromHex("0123456789ABCDEFFEDCBA987654321" + n),
        SecretKeyBytes.fromHex("00112233445566778899AABBCCDDEEF" + n), 30_000);
  }

  static StoreKeys storeKeys(AlgorithmSuite suite) {
    return new StoreKeys(suite, SecretKeyBytes.fromHex("A0A1A2A3A4A5A6A7A8A9AAABACADAEAF"),
        SecretKeyBytes.fromHex("B0B1B2B3B4B5B6B7B8B9BABBBCBDBEBF"), SecretKeyBytes.fromHex("C0C1C2C3C4C5C6C7C8C9CACBCCCDCECF"));
  }

  static Money cny(long minor) {
    return Money.ofMinor(minor, CurrencyUnit.CNY);
  }

  static CardTransaction transaction(Pan pan, int stan, Money amount) {
    return new CardTransaction(pan, "000000", amount, AT, stan, AT, YearMonth.of(2029, 12), "071", 1, "48020000",
        "RRN" + String.format("%09d", stan), TERMINAL, "MERCHANT0000001", null, null);
  }

  static AuthorisationRequest authorisation(Pan pan, int stan, Money amount) {
    return new AuthorisationRequest(transaction(pan, stan, amount));
  }

  /** A port nobody listens on now (the issuer is "down" until a fake issuer binds it). */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  static InetSocketAddress loopback(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  static IssuerEndpoint issuer(AlgorithmSuite suite, PartyId id, int link, int port, long standInAfterMs, StandInLimits limits) {
    LinkSettings settings = LinkSettings.defaults("99990000", "SWITCH01").withRequestTimeoutMs(10_000).withEchoIntervalMs(0);
    return new IssuerEndpoint(id, loopback(port), settings, zoneKeys(suite, link), standInAfterMs, limits);
  }

  static AcquirerEndpoint acquirer(AlgorithmSuite suite) {
    return new AcquirerEndpoint(ACQUIRER, loopback(0), LinkSettings.defaults("99990000", "SWITCH01"), zoneKeys(suite, 1));
  }

  static Iso8583Client acquirerClient(AlgorithmSuite suite, int port) {
    LinkSettings settings = LinkSettings.defaults("48020000", "ACQNODE1").withRequestTimeoutMs(15_000).withEchoIntervalMs(0);
    return new Iso8583Client(loopback(port), settings, zoneKeys(suite, 1), WIRE);
  }

  static Database database(Path directory) {
    return Database.open("jdbc:sqlite:" + directory.resolve("switch-online.db"), 4);
  }

  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  /** No file of the switch's SQLite database (main, WAL) in {@code directory} holds any of {@code pans}' digits. */
  static void assertNoFullPan(Path directory, Pan... pans) throws IOException {
    List<Path> files;
    try (java.util.stream.Stream<Path> listing = java.nio.file.Files.list(directory)) {
      files = listing.filter(p -> p.getFileName().toString().startsWith("switch-online.db")).toList();
    }
    org.assertj.core.api.Assertions.assertThat(files).isNotEmpty();
    for (Path file : files) {
      String content = new String(java.nio.file.Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
      for (Pan pan : pans) {
        org.assertj.core.api.Assertions.assertThat(content).as("%s holds a full PAN", file.getFileName())
            .doesNotContain(pan.digits());
      }
    }
  }

  /**
   * An issuer process stand-in for the tests: a real {@link Iso8583Server} under the issuer link's
   * keys, recording every request, answering with what {@link #answer} decides.
   */
  static final class FakeIssuer implements AutoCloseable {
    final List<Iso8583Message> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger approvals = new AtomicInteger();
    private final String codePrefix;
    private final Iso8583Server server;
    volatile Iso8583Server.Handler answer = this::approve;

    FakeIssuer(AlgorithmSuite suite, int link, int port, String codePrefix) throws IOException {
      this.codePrefix = codePrefix;
      this.server = new Iso8583Server(LinkSettings.defaults("11110000", "ISSUER01"), zoneKeys(suite, link),
          request -> {
            received.add(request);
            return answer.handle(request);
          }, WIRE).start(loopback(port));
    }

    int port() {
      return server.port();
    }

    /** Approves with a code of its own: prefix + a running number, so answers can be told apart. */
    Iso8583Message approve(Iso8583Message request) {
      String code = codePrefix + String.format("%05d", approvals.incrementAndGet());
      return CardResponse.answering(request, ResponseCode.APPROVED, code, null);
    }

    long count(io.iotpay.protocol.iso8583.Mti mti) {
      return received.stream().filter(m -> m.mti() == mti).count();
    }

    @Override
    public void close() {
      server.close();
    }
  }
}
