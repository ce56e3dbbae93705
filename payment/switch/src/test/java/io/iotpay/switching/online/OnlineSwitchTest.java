package io.iotpay.switching.online;

import static io.iotpay.switching.online.OnlineFixture.ACQUIRER;
import static io.iotpay.switching.online.OnlineFixture.CARD_A;
import static io.iotpay.switching.online.OnlineFixture.CARD_A2;
import static io.iotpay.switching.online.OnlineFixture.CARD_B;
import static io.iotpay.switching.online.OnlineFixture.CARD_UNKNOWN;
import static io.iotpay.switching.online.OnlineFixture.ISSUER_A;
import static io.iotpay.switching.online.OnlineFixture.ISSUER_B;
import static io.iotpay.switching.online.OnlineFixture.RANGES;
import static io.iotpay.switching.online.OnlineFixture.WIRE;
import static io.iotpay.switching.online.OnlineFixture.authorisation;
import static io.iotpay.switching.online.OnlineFixture.await;
import static io.iotpay.switching.online.OnlineFixture.cny;
import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.iso8583.AdviceRequest;
import io.iotpay.protocol.iso8583.AuthorisationRequest;
import io.iotpay.protocol.iso8583.CardResponse;
import io.iotpay.protocol.iso8583.FinancialRequest;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.Iso8583Message;
import io.iotpay.protocol.iso8583.Mti;
import io.iotpay.protocol.iso8583.OriginalData;
import io.iotpay.protocol.iso8583.Outcome;
import io.iotpay.protocol.iso8583.ResponseCode;
import io.iotpay.protocol.iso8583.ReversalRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The online switch over real loopback TCP, under both suites: routing, log, stand-in, advices. */
class OnlineSwitchTest {
  private static final StandInLimits LIMITS = new StandInLimits(cny(5_000), cny(8_000), cny(100_000));

  @TempDir Path directory;

  private OnlineSwitch newSwitch(AlgorithmSuite suite, Database database, List<IssuerEndpoint> issuers) throws IOException {
    // The ranges of the issuers this switch has links to.
    List<io.iotpay.protocol.transit.CardRange> ranges = RANGES.stream()
        .filter(range -> issuers.stream().anyMatch(issuer -> issuer.issuer().equals(range.issuer()))).toList();
    OnlineSwitchConfig config = OnlineSwitchConfig.defaults(List.of(OnlineFixture.acquirer(suite)), issuers, ranges,
        OnlineFixture.storeKeys(suite)).withAdviceRetryMs(50);
    return new OnlineSwitch(config, database, WIRE).start();
  }

  private static CardResponse answer(Iso8583Client acquirer, Iso8583Message request) {
    Outcome outcome = acquirer.send(request);
    assertThat(outcome).isInstanceOf(Outcome.Answered.class);
    return (CardResponse) ((Outcome.Answered) outcome).response();
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void routesByCardRangeToTwoIssuers_unknownRangeAnswered14_andTheLogHoldsEveryPairWithoutAFullPan(AlgorithmSuite suite)
      throws Exception {
    try (OnlineFixture.FakeIssuer a = new OnlineFixture.FakeIssuer(suite, 2, 0, "A");
        OnlineFixture.FakeIssuer b = new OnlineFixture.FakeIssuer(suite, 3, 0, "B");
        Database database = OnlineFixture.database(directory);
        OnlineSwitch online = newSwitch(suite, database, List.of(
            OnlineFixture.issuer(suite, ISSUER_A, 2, a.port(), 2_000, LIMITS),
            OnlineFixture.issuer(suite, ISSUER_B, 3, b.port(), 2_000, LIMITS)));
        Iso8583Client acquirer = OnlineFixture.acquirerClient(suite, online.port(ACQUIRER))) {
      CardResponse toA = answer(acquirer, authorisation(CARD_A, 1, cny(1_000)));
      CardResponse toB = answer(acquirer, authorisation(CARD_B, 2, cny(2_000)));
      CardResponse unknown = answer(acquirer, authorisation(CARD_UNKNOWN, 3, cny(3_000)));

      assertThat(toA.responseCode()).isEqualTo(ResponseCode.APPROVED);
      assertThat(toA.approvalCode()).isEqualTo("A00001");
      assertThat(toB.approvalCode()).isEqualTo("B00001");
      assertThat(unknown.responseCode()).isEqualTo(ResponseCode.INVALID_CARD_NUMBER);
      assertThat(a.received).singleElement().satisfies(m -> assertThat(m.stan()).isEqualTo(1));
      assertThat(b.received).singleElement().satisfies(m -> assertThat(m.stan()).isEqualTo(2));

      assertThat(online.flushLog(20_000)).isTrue();
      List<List<String>> log = online.query(
          "SELECT stan, request_mti, response_mti, response_code, answered_by, issuer, pan_masked FROM online_message_log"
              + " ORDER BY stan");
      assertThat(log).containsExactly(
          List.of("1", "0100", "0110", "00", "ISSUER", "ISSA", CARD_A.masked()),
          List.of("2", "0100", "0110", "00", "ISSUER", "ISSB", CARD_B.masked()),
          List.of("3", "0100", "0110", "14", "SWITCH", "", CARD_UNKNOWN.masked()).stream()
              .map(v -> v.isEmpty() ? null : v).toList());
      assertNoFullPan(CARD_A, CARD_B, CARD_UNKNOWN);
    }
  }

  /**
   * Many requests in flight on one acquirer connection (what {@code iotpay bench switch} drives at
   * scale): each is answered once with its own STAN and the issuer's approval, the issuer sees each
   * once, and the log's batched writer keeps every pair.
   */
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void requestsInFlight_eachAnsweredWithItsOwnApproval_andEveryPairLogged(AlgorithmSuite suite) throws Exception {
    int count = 300;
    try (OnlineFixture.FakeIssuer a = new OnlineFixture.FakeIssuer(suite, 2, 0, "A");
        Database database = OnlineFixture.database(directory);
        OnlineSwitch online = newSwitch(suite, database, List.of(
            OnlineFixture.issuer(suite, ISSUER_A, 2, a.port(), 5_000, LIMITS)));
        Iso8583Client acquirer = OnlineFixture.acquirerClient(suite, online.port(ACQUIRER))) {
      List<java.util.concurrent.CompletableFuture<Outcome>> answers = new java.util.ArrayList<>();
      for (int stan = 1; stan <= count; stan++) {
        answers.add(acquirer.sendAsync(authorisation(CARD_A, stan, cny(100))));
      }
      java.util.Set<String> codes = new java.util.HashSet<>();
      for (int stan = 1; stan <= count; stan++) {
        Outcome outcome = answers.get(stan - 1).get(20, TimeUnit.SECONDS);
        assertThat(outcome).isInstanceOf(Outcome.Answered.class);
        CardResponse response = (CardResponse) ((Outcome.Answered) outcome).response();
        assertThat(response.stan()).isEqualTo(stan);
        assertThat(response.responseCode()).isEqualTo(ResponseCode.APPROVED);
        codes.add(response.approvalCode());
      }
      assertThat(codes).as("one issuer approval per request").hasSize(count);
      assertThat(a.count(Mti.AUTHORISATION_REQUEST)).isEqualTo(count);
      assertThat(online.flushLog(20_000)).isTrue();
      assertThat(online.query("SELECT COUNT(DISTINCT stan), COUNT(*) FROM online_message_log WHERE response_code = '00'"))
          .containsExactly(List.of(String.valueOf(count), String.valueOf(count)));
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aRepeatedRequest_getsTheSameAnswer_andIsForwardedOnce(AlgorithmSuite suite) throws Exception {
    try (OnlineFixture.FakeIssuer a = new OnlineFixture.FakeIssuer(suite, 2, 0, "A");
        Database database = OnlineFixture.database(directory);
        OnlineSwitch online = newSwitch(suite, database,
            List.of(OnlineFixture.issuer(suite, ISSUER_A, 2, a.port(), 2_000, LIMITS)));
        Iso8583Client acquirer = OnlineFixture.acquirerClient(suite, online.port(ACQUIRER))) {
      AuthorisationRequest request = authorisation(CARD_A, 7, cny(1_000));
      CardResponse first = answer(acquirer, request);
      CardResponse repeat = answer(acquirer, request);

      assertThat(repeat).isEqualTo(first);
      assertThat(a.received).hasSize(1);
      assertThat(online.flushLog(20_000)).isTrue();
      assertThat(online.query("SELECT answered_by FROM online_message_log ORDER BY id"))
          .containsExactly(List.of("ISSUER"), List.of("DUPLICATE"));
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void issuerDown_standInApprovesWithinLimits_declines91Over_andAReversalReleasesTheExposure(AlgorithmSuite suite)
      throws Exception {
    int downPort = OnlineFixture.freePort();
    try (Database database = OnlineFixture.database(directory);
        OnlineSwitch online = newSwitch(suite, database,
            List.of(OnlineFixture.issuer(suite, ISSUER_A, 2, downPort, 2_000, LIMITS)));
        Iso8583Client acquirer = OnlineFixture.acquirerClient(suite, online.port(ACQUIRER))) {
      CardResponse first = answer(acquirer, authorisation(CARD_A, 1, cny(3_000)));
      CardResponse second = answer(acquirer, authorisation(CARD_A, 2, cny(3_000)));
      CardResponse overCardDay = answer(acquirer, authorisation(CARD_A, 3, cny(3_000))); // 90.00 > 80.00 a day
      CardResponse overTransaction = answer(acquirer, authorisation(CARD_A2, 4, cny(5_001))); // > 50.00 each

      assertThat(first.responseCode()).isEqualTo(ResponseCode.APPROVED);
      assertThat(first.approvalCode()).startsWith("S").hasSize(6);
      assertThat(second.responseCode()).isEqualTo(ResponseCode.APPROVED);
      assertThat(overCardDay.responseCode()).isEqualTo(ResponseCode.ISSUER_UNAVAILABLE);
      assertThat(overCardDay.approvalCode()).isNull();
      assertThat(overTransaction.responseCode()).isEqualTo(ResponseCode.ISSUER_UNAVAILABLE);

      // The reversal of a stand-in approval is answered by the switch and frees the card's limit.
      ReversalRequest reversal = new ReversalRequest(Mti.REVERSAL_REQUEST, OnlineFixture.transaction(CARD_A, 5, cny(3_000)),
          ResponseCode.ISSUER_UNAVAILABLE, OriginalData.of(Mti.AUTHORISATION_REQUEST, OnlineFixture.transaction(CARD_A, 1, cny(3_000))));
      CardResponse reversed = answer(acquirer, reversal);
      assertThat(reversed.mti()).isEqualTo(Mti.REVERSAL_RESPONSE);
      assertThat(reversed.responseCode()).isEqualTo(ResponseCode.APPROVED);
      assertThat(answer(acquirer, authorisation(CARD_A, 6, cny(3_000))).responseCode()).isEqualTo(ResponseCode.APPROVED);

      assertThat(online.pendingAdvices(ISSUER_A)).isEqualTo(6); // 4 advices of 0100s, the 0420, the last 0120
      assertThat(online.query("SELECT stan, released FROM online_stip_approval ORDER BY stan"))
          .containsExactly(List.of("1", "1"), List.of("2", "0"), List.of("6", "0"));
      assertNoFullPan(CARD_A, CARD_A2);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void advicesQueuedWhileTheIssuerIsDown_areDeliveredOnceInOrder_afterASwitchRestart(AlgorithmSuite suite) throws Exception {
    int issuerPort = OnlineFixture.freePort();
    List<IssuerEndpoint> issuers = List.of(OnlineFixture.issuer(suite, ISSUER_A, 2, issuerPort, 2_000, LIMITS));
    try (Database database = OnlineFixture.database(directory)) {
      try (OnlineSwitch online = newSwitch(suite, database, issuers);
          Iso8583Client acquirer = OnlineFixture.acquirerClient(suite, online.port(ACQUIRER))) {
        answer(acquirer, authorisation(CARD_A, 11, cny(1_000)));
        answer(acquirer, authorisation(CARD_A, 12, cny(9_000))); // declined over the limit: advised too
        answer(acquirer, authorisation(CARD_A2, 13, cny(2_000)));
        assertThat(online.pendingAdvices(ISSUER_A)).isEqualTo(3);
      }
    }
    // A new switch process on the same database file finds the queue and delivers it when the issuer is up.
    CountDownLatch release = new CountDownLatch(1);
    List<IssuerEndpoint> quickStandIn = List.of(OnlineFixture.issuer(suite, ISSUER_A, 2, issuerPort, 200, LIMITS));
    try (Database database = OnlineFixture.database(directory);
        OnlineSwitch online = newSwitch(suite, database, quickStandIn);
        OnlineFixture.FakeIssuer issuer = new OnlineFixture.FakeIssuer(suite, 2, issuerPort, "A")) {
      await(() -> online.pendingAdvices(ISSUER_A) == 0, "the queue is delivered");
      assertThat(issuer.received).extracting(Iso8583Message::stan).containsExactly(11, 12, 13);
      assertThat(issuer.received).allSatisfy(m -> assertThat(m).isInstanceOf(AdviceRequest.class));
      AdviceRequest declined = (AdviceRequest) issuer.received.get(1);
      assertThat(declined.responseCode()).isEqualTo(ResponseCode.ISSUER_UNAVAILABLE);
      assertThat(((AdviceRequest) issuer.received.get(0)).approvalCode()).startsWith("S");

      // One more stand-in (the issuer is late) queues a fourth advice. Delivery is in order, so once
      // it is acknowledged every earlier one had its one chance to go twice, and none did.
      issuer.answer = request -> {
        if (request.mti() == Mti.AUTHORISATION_REQUEST) {
          awaitQuietly(release);
        }
        return issuer.approve(request);
      };
      try (Iso8583Client acquirer = OnlineFixture.acquirerClient(suite, online.port(ACQUIRER))) {
        assertThat(answer(acquirer, authorisation(CARD_A, 14, cny(1_000))).approvalCode()).startsWith("S");
      }
      release.countDown();
      await(() -> online.pendingAdvices(ISSUER_A) == 0 && issuer.count(Mti.AUTHORISATION_ADVICE) == 4,
          "the fourth advice is acknowledged");
      assertThat(issuer.received).filteredOn(m -> m.mti() == Mti.AUTHORISATION_ADVICE)
          .extracting(Iso8583Message::stan).containsExactly(11, 12, 13, 14);
      assertThat(online.query("SELECT COUNT(*) FROM online_advice WHERE delivered_at_ms IS NOT NULL"))
          .containsExactly(List.of("4"));
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void issuerStoppedMidDay_purchaseAndReversalAnsweredInStandIn_andAdvisedInOrderWhenItReturns(AlgorithmSuite suite)
      throws Exception {
    int issuerPort = OnlineFixture.freePort();
    try (Database database = OnlineFixture.database(directory);
        OnlineSwitch online = newSwitch(suite, database,
            List.of(OnlineFixture.issuer(suite, ISSUER_A, 2, issuerPort, 2_000, LIMITS)));
        Iso8583Client acquirer = OnlineFixture.acquirerClient(suite, online.port(ACQUIRER))) {
      try (OnlineFixture.FakeIssuer issuer = new OnlineFixture.FakeIssuer(suite, 2, issuerPort, "A")) {
        assertThat(answer(acquirer, authorisation(CARD_A, 31, cny(1_000))).approvalCode()).isEqualTo("A00001");
      }
      await(() -> !online.issuerConnected(ISSUER_A), "the switch sees the issuer's link go down");
      CardResponse purchase = answer(acquirer,
          new FinancialRequest(OnlineFixture.transaction(CARD_A, 32, cny(2_000))));
      assertThat(purchase.mti()).isEqualTo(Mti.FINANCIAL_RESPONSE);
      assertThat(purchase.approvalCode()).startsWith("S");
      // The issuer approved stan 31 itself; its reversal is acknowledged by the switch and queued as an 0420.
      CardResponse reversed = answer(acquirer, new ReversalRequest(Mti.REVERSAL_REQUEST,
          OnlineFixture.transaction(CARD_A, 33, cny(1_000)), ResponseCode.ISSUER_UNAVAILABLE,
          OriginalData.of(Mti.AUTHORISATION_REQUEST, OnlineFixture.transaction(CARD_A, 31, cny(1_000)))));
      assertThat(reversed.responseCode()).isEqualTo(ResponseCode.APPROVED);
      assertThat(online.pendingAdvices(ISSUER_A)).isEqualTo(2);

      try (OnlineFixture.FakeIssuer back = new OnlineFixture.FakeIssuer(suite, 2, issuerPort, "A")) {
        await(() -> online.pendingAdvices(ISSUER_A) == 0, "the advices are delivered");
        assertThat(back.received).extracting(m -> m.mti().code() + "/" + m.stan()).containsExactly("0120/32", "0420/33");
        assertThat(((ReversalRequest) back.received.get(1)).original().stan()).isEqualTo(31);
      }
      assertThat(online.flushLog(20_000)).isTrue();
      assertThat(online.query("SELECT request_mti, answered_by FROM online_message_log ORDER BY id")).containsExactly(
          List.of("0100", "ISSUER"), List.of("0200", "STAND_IN"), List.of("0400", "STAND_IN"),
          List.of("0120", "ADVICE"), List.of("0420", "ADVICE"));
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void walletPart_issuerDown_declined91WithoutStandInOrAdvice_andForwardedWithField62WhenItIsUp(AlgorithmSuite suite)
      throws Exception {
    int issuerPort = OnlineFixture.freePort();
    io.iotpay.protocol.iso8583.WalletPartData part = new io.iotpay.protocol.iso8583.WalletPartData(new byte[123]);
    try (Database database = OnlineFixture.database(directory);
        OnlineSwitch online = newSwitch(suite, database,
            List.of(OnlineFixture.issuer(suite, ISSUER_A, 2, issuerPort, 2_000, LIMITS)));
        Iso8583Client acquirer = OnlineFixture.acquirerClient(suite, online.port(ACQUIRER))) {
      CardResponse down = answer(acquirer,
          new FinancialRequest(OnlineFixture.transaction(CARD_A, 41, cny(1_000)), part));

      assertThat(down.mti()).isEqualTo(Mti.FINANCIAL_RESPONSE);
      assertThat(down.responseCode()).isEqualTo(ResponseCode.ISSUER_UNAVAILABLE);
      assertThat(down.approvalCode()).isNull();
      assertThat(online.pendingAdvices(ISSUER_A)).isZero();
      assertThat(online.query("SELECT COUNT(*) FROM online_stip_approval")).containsExactly(List.of("0"));

      try (OnlineFixture.FakeIssuer issuer = new OnlineFixture.FakeIssuer(suite, 2, issuerPort, "A")) {
        CardResponse up = answer(acquirer,
            new FinancialRequest(OnlineFixture.transaction(CARD_A, 42, cny(1_000)), part));
        assertThat(up.responseCode()).isEqualTo(ResponseCode.APPROVED);
        assertThat(issuer.received).hasSize(1);
        assertThat(((FinancialRequest) issuer.received.get(0)).walletPart()).isEqualTo(part);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void issuerLate_standInAnswers_andTheLateDeclineIsAnExceptionNotASecondAnswer(AlgorithmSuite suite) throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (OnlineFixture.FakeIssuer a = new OnlineFixture.FakeIssuer(suite, 2, 0, "A");
        Database database = OnlineFixture.database(directory);
        OnlineSwitch online = newSwitch(suite, database,
            List.of(OnlineFixture.issuer(suite, ISSUER_A, 2, a.port(), 200, LIMITS)));
        Iso8583Client acquirer = OnlineFixture.acquirerClient(suite, online.port(ACQUIRER))) {
      a.answer = request -> {
        if (request.mti() == Mti.AUTHORISATION_REQUEST) {
          awaitQuietly(release);
          return CardResponse.answering(request, ResponseCode.INSUFFICIENT_FUNDS, null, null);
        }
        return a.approve(request);
      };
      CardResponse answer = answer(acquirer, authorisation(CARD_A, 21, cny(1_000)));
      assertThat(answer.responseCode()).isEqualTo(ResponseCode.APPROVED);
      assertThat(answer.approvalCode()).startsWith("S");
      release.countDown();

      await(() -> !online.query("SELECT kind FROM online_stip_exception").isEmpty(), "the exception is recorded");
      assertThat(online.query("SELECT kind, stan, stand_in_code, issuer_code FROM online_stip_exception"))
          .containsExactly(List.of("ISSUER_DECLINED_STAND_IN_APPROVAL", "21", "00", "51"));
      await(() -> online.pendingAdvices(ISSUER_A) == 0, "the advice is delivered");
      assertThat(online.flushLog(20_000)).isTrue();
      assertThat(online.query("SELECT answered_by, response_code FROM online_message_log WHERE request_mti = '0100'"
          + " ORDER BY id")).containsExactly(List.of("STAND_IN", "00"), List.of("ISSUER_LATE", "51"));
      assertThat(acquirer.stats().unmatched()).isZero(); // the acquirer never saw a second answer
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(OnlineFixture.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** No file of the database (main file, WAL, shared memory) contains any of the PANs' digits. */
  private void assertNoFullPan(Pan... pans) throws IOException {
    OnlineFixture.assertNoFullPan(directory, pans);
  }
}
