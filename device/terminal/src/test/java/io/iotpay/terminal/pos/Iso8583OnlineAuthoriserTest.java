package io.iotpay.terminal.pos;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.CardTransaction;
import io.iotpay.protocol.iso8583.IccData;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Iso8583Message;
import io.iotpay.protocol.iso8583.Iso8583Server;
import io.iotpay.protocol.iso8583.Iso8583Wire;
import io.iotpay.protocol.iso8583.LinkSettings;
import io.iotpay.protocol.iso8583.MonthDayTime;
import io.iotpay.protocol.iso8583.Mti;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.iso8583.ReversalRequest;
import io.iotpay.protocol.iso8583.ZoneKeys;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The kernel's authoriser over a real MACed ISO 8583 link to a stand-in acquirer (an {@link
 * Iso8583Server} on loopback whose answers the test decides), both suites.
 */
class Iso8583OnlineAuthoriserTest {
  private static final Iso8583Wire WIRE = Iso8583Wire.load();
  private static final Pan PAN = Pan.withCheckDigit("621234567890123");
  private static final byte[] FIELD55 = Hex.decode("9F26080102030405060708" + "9F360200 01".replace(" ", ""));
  private static final byte[] ARPC = Hex.decode("910A1122334455667788" + "3030");
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T09:30:15Z"), ZoneOffset.UTC);

  private final List<Iso8583Message> received = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile boolean hold;

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void approval_carriesTheCardDataAndReturnsTheIssuerData(AlgorithmSuite suite) throws Exception {
    try (Iso8583Server acquirer = acquirer(suite); Iso8583Client client = client(suite, acquirer, 5_000)) {
      Iso8583OnlineAuthoriser authoriser = new Iso8583OnlineAuthoriser(client, "48020000", CLOCK);
      AuthorisationResponse response = authoriser.authorise(request(41, YearMonth.of(2029, 12)));

      assertThat(response).isInstanceOfSatisfying(AuthorisationResponse.Answered.class, a -> {
        assertThat(a.approved()).isTrue();
        assertThat(a.arc()).isEqualTo("00".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(a.issuerData()).isEqualTo(ARPC);
      });
      CardTransaction sent = ((io.iotpay.protocol.iso8583.AuthorisationRequest) received.get(0)).transaction();
      assertThat(sent.pan()).isEqualTo(PAN);
      assertThat(sent.amount()).isEqualTo(Money.ofMinor(1_234, CurrencyUnit.CNY));
      assertThat(sent.expiry()).isEqualTo(YearMonth.of(2029, 12));
      assertThat(sent.posEntryMode()).isEqualTo("071");
      assertThat(sent.panSequence()).isEqualTo(1);
      assertThat(sent.acquirerId()).isEqualTo("48020000");
      assertThat(sent.rrn()).isEqualTo("000000000041");
      assertThat(sent.terminalId()).isEqualTo("10000001");
      assertThat(sent.merchantId()).isEqualTo("SHOP1          ");
      assertThat(sent.transmittedAt()).isEqualTo(MonthDayTime.utc(CLOCK.instant()));
      assertThat(sent.iccData().value()).isEqualTo(FIELD55);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void noAnswerInTime_isNoAnswer_andTheJournaledRequestCanBeReversed(AlgorithmSuite suite) throws Exception {
    try (Iso8583Server acquirer = acquirer(suite); Iso8583Client client = client(suite, acquirer, 300)) {
      Iso8583OnlineAuthoriser authoriser = new Iso8583OnlineAuthoriser(client, "48020000", CLOCK);
      hold = true;
      AuthorisationResponse response = authoriser.authorise(request(7, YearMonth.of(2029, 12)));
      assertThat(response).isInstanceOf(AuthorisationResponse.NoAnswer.class);
      hold = false;
      release.countDown();

      assertThat(authoriser.reverse(7, ResponseCode.ISSUER_UNAVAILABLE))
          .isEqualTo(Iso8583OnlineAuthoriser.ReversalResult.ACKNOWLEDGED);
      CardTransaction original = ((io.iotpay.protocol.iso8583.AuthorisationRequest) received.get(0)).transaction();
      ReversalRequest reversal = (ReversalRequest) received.stream().filter(m -> m instanceof ReversalRequest)
          .findFirst().orElseThrow();
      assertThat(reversal.mti()).isEqualTo(Mti.REVERSAL_REQUEST);
      assertThat(reversal.original().mti()).isEqualTo(Mti.AUTHORISATION_REQUEST);
      assertThat(reversal.original().stan()).isEqualTo(original.stan());
      assertThat(reversal.original().transmittedAt()).isEqualTo(original.transmittedAt());
      assertThat(reversal.stan()).isNotEqualTo(original.stan());
      assertThat(reversal.transaction().pinBlock()).isNull();
      // Once acknowledged, it is forgotten: a repeat is UNKNOWN, as is a sequence never sent.
      assertThat(authoriser.reverse(7, ResponseCode.ISSUER_UNAVAILABLE))
          .isEqualTo(Iso8583OnlineAuthoriser.ReversalResult.UNKNOWN);
      assertThat(authoriser.reverse(8, ResponseCode.ISSUER_UNAVAILABLE))
          .isEqualTo(Iso8583OnlineAuthoriser.ReversalResult.UNKNOWN);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void requestWithoutExpiry_isNotSent(AlgorithmSuite suite) throws Exception {
    try (Iso8583Server acquirer = acquirer(suite); Iso8583Client client = client(suite, acquirer, 5_000)) {
      Iso8583OnlineAuthoriser authoriser = new Iso8583OnlineAuthoriser(client, "48020000", CLOCK);
      assertThat(authoriser.authorise(request(3, null))).isInstanceOf(AuthorisationResponse.NoAnswer.class);
      assertThat(received).isEmpty();
      assertThat(authoriser.reverse(3, ResponseCode.ISSUER_UNAVAILABLE))
          .isEqualTo(Iso8583OnlineAuthoriser.ReversalResult.UNKNOWN);
    }
  }

  private static AuthorisationRequest request(long sequence, YearMonth expiry) {
    return new AuthorisationRequest(FIELD55, Money.ofMinor(1_234, CurrencyUnit.CNY), PAN, 1, "10000001", "SHOP1",
        sequence, null, expiry);
  }

  private Iso8583Server acquirer(AlgorithmSuite suite) throws Exception {
    return new Iso8583Server(LinkSettings.defaults("48020000", "ACQTERM0"), keys(suite), request -> {
      received.add(request);
      if (hold && request instanceof io.iotpay.protocol.iso8583.AuthorisationRequest) {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return request instanceof ReversalRequest
          ? CardResponse.answering(request, ResponseCode.APPROVED, null, null)
          : CardResponse.answering(request, ResponseCode.APPROVED, "A12345", new IccData(ARPC));
    }, WIRE).start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  private static Iso8583Client client(AlgorithmSuite suite, Iso8583Server server, long timeoutMs) {
    return new Iso8583Client(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()),
        LinkSettings.defaults("48020000", "10000001").withRequestTimeoutMs(timeoutMs).withEchoIntervalMs(0),
        keys(suite), WIRE);
  }

  private static ZoneKeys keys(AlgorithmSuite suite) {
    return new ZoneKeys(suite, SecretKeyBytes.fromHex("0123456789ABCDEFFEDCBA9876543210"),
        SecretKeyBytes.fromHex("00112233445566778899AABBCCDDEEFF"), 30_000);
  }
}
