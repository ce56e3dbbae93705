package io.iotpay.protocol.iso8583;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The link over real loopback TCP: framing, matching, timeouts, MACs and key change, under both suites. */
class Iso8583LinkTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void hundredsInFlightFromSeveralThreads_eachGetsItsOwnAnswer(AlgorithmSuite suite) throws Exception {
    int threads = 4;
    int perThread = 150;
    try (Iso8583Server server = LinkFixture.server(suite, LinkFixture::approveWithStan);
        Iso8583Client client = LinkFixture.client(suite, server.port(), LinkFixture.clientSettings())) {
      client.connect();
      List<CompletableFuture<List<String>>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String terminal = "TERM000" + t;
        workers.add(CompletableFuture.supplyAsync(() -> sendAll(client, terminal, perThread),
            command -> Thread.ofVirtual().start(command)));
      }
      List<String> problems = new ArrayList<>();
      for (CompletableFuture<List<String>> worker : workers) {
        problems.addAll(worker.get(30, TimeUnit.SECONDS));
      }
      assertThat(problems).isEmpty();
      assertThat(client.stats().answered()).isEqualTo(threads * perThread + 1L); // + the sign-on
      assertThat(client.stats().unmatched()).isZero();
      assertThat(server.stats().macRefusals()).isZero();
    }
  }

  /** Sends {@code count} requests at once (all in flight), then checks each answer is its own. */
  private static List<String> sendAll(Iso8583Client client, String terminal, int count) {
    List<Integer> stans = new ArrayList<>();
    List<CompletableFuture<Outcome>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int stan = client.nextStan();
      stans.add(stan);
      futures.add(client.sendAsync(new AuthorisationRequest(Samples.transaction(stan, terminal))));
    }
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Outcome outcome = futures.get(i).join();
      if (!(outcome instanceof Outcome.Answered answered && answered.response() instanceof CardResponse response
          && response.stan() == stans.get(i) && response.terminalId().equals(terminal)
          && response.approvalCode().equals(String.format("%06d", stans.get(i))))) {
        problems.add(terminal + " stan " + stans.get(i) + " got " + outcome);
      }
    }
    return problems;
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void noAnswerInTime_isATimedOutOutcome_andTheLateAnswerIsCountedNotDelivered(AlgorithmSuite suite) throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Iso8583Server.Handler slow = request -> {
      try {
        release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return LinkFixture.approveWithStan(request);
    };
    try (Iso8583Server server = LinkFixture.server(suite, slow);
        Iso8583Client client = LinkFixture.client(suite, server.port(),
            LinkFixture.clientSettings().withRequestTimeoutMs(150))) {
      client.connect();
      Outcome outcome = client.send(Samples.authorisation(client.nextStan()));
      assertThat(outcome).isInstanceOf(Outcome.TimedOut.class);
      release.countDown();
      LinkFixture.await(() -> client.stats().unmatched() == 1, WAIT, "the late answer is counted");
      assertThat(client.stats().timedOut()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aDuplicateResponse_reachesTheCallerOnce_andIsCounted(AlgorithmSuite suite) throws Exception {
    ZoneKeys keys = Samples.zoneKeys(suite);
    try (LinkFixture.ScriptedPeer peer = new LinkFixture.ScriptedPeer((in, out) -> {
          LinkFixture.answerSignOn(suite, in, out);
          Iso8583Message request = LinkFixture.readFrame(in).message();
          byte[] answer = LinkFixture.WIRE.write(LinkFixture.approveWithStan(request), suite, keys.current());
          Frames.write(out, answer);
          Frames.write(out, answer);
          in.read(); // hold the connection until the client goes
        });
        Iso8583Client client = LinkFixture.client(suite, peer.port(), LinkFixture.clientSettings())) {
      Outcome outcome = client.send(Samples.authorisation(client.nextStan()));
      assertThat(outcome).isInstanceOf(Outcome.Answered.class);
      LinkFixture.await(() -> client.stats().unmatched() == 1, WAIT, "the duplicate is counted");
      assertThat(client.stats().answered()).isEqualTo(2); // sign-on + the one answer
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void peerClosingMidFrame_endsTheRequestWithLinkDown_andTheNextRequestReconnects(AlgorithmSuite suite)
      throws Exception {
    try (LinkFixture.ScriptedPeer peer = new LinkFixture.ScriptedPeer((in, out) -> {
          LinkFixture.answerSignOn(suite, in, out);
          LinkFixture.readFrame(in);
          out.write(new byte[] {0x00, 0x40, '0', '1', '1'}); // announces 64 bytes, sends 3, closes
          out.flush();
        });
        Iso8583Client client = LinkFixture.client(suite, peer.port(), LinkFixture.clientSettings())) {
      Outcome outcome = client.send(Samples.authorisation(client.nextStan()));
      assertThat(outcome).isInstanceOf(Outcome.LinkDown.class);
      peer.stopListening();
      // The scripted peer accepts once: the reconnect finds nobody and says so, typed.
      assertThat(client.send(Samples.authorisation(client.nextStan()))).isInstanceOf(Outcome.LinkDown.class);
      assertThat(client.stats().connects()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void serverSurvivesAPeerClosingMidFrame_andClosesOnAFrameOverTheBound(AlgorithmSuite suite) throws Exception {
    try (Iso8583Server server = LinkFixture.server(suite, LinkFixture::approveWithStan)) {
      try (Socket half = new Socket(LinkFixture.loopback(server.port()).getAddress(), server.port())) {
        half.getOutputStream().write(new byte[] {0x00, 0x50, '0', '1'});
      }
      try (Socket big = new Socket(LinkFixture.loopback(server.port()).getAddress(), server.port())) {
        big.getOutputStream().write(new byte[] {(byte) 0xFF, (byte) 0xFF});
        big.setSoTimeout((int) WAIT.toMillis());
        assertThat(big.getInputStream().read()).as("server closed the connection").isEqualTo(-1);
      }
      LinkFixture.await(() -> server.stats().framesTooLong() == 1, WAIT, "the long frame is counted");
      try (Iso8583Client client = LinkFixture.client(suite, server.port(), LinkFixture.clientSettings())) {
        assertThat(client.send(Samples.authorisation(client.nextStan()))).isInstanceOf(Outcome.Answered.class);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aRequestUnderTheWrongKey_isAnsweredA0_andNeverReachesTheHandler(AlgorithmSuite suite) throws Exception {
    List<Iso8583Message> handled = new java.util.concurrent.CopyOnWriteArrayList<>();
    Iso8583Server.Handler recording = request -> {
      handled.add(request);
      return LinkFixture.approveWithStan(request);
    };
    ZoneKeys wrong = new ZoneKeys(suite, SecretKeyBytes.fromHex("0123456789ABCDEFFEDCBA9876543210"),
        ZoneKeys.newZak(), 0);
    try (Iso8583Server server = LinkFixture.server(suite, recording);
        Iso8583Client client = new Iso8583Client(LinkFixture.loopback(server.port()), LinkFixture.clientSettings(),
            wrong, LinkFixture.WIRE)) {
      assertThatThrownBy(client::connect).isInstanceOf(IOException.class).hasMessageContaining("MacRefused");
      try (Socket raw = new Socket(LinkFixture.loopback(server.port()).getAddress(), server.port())) {
        OutputStream out = raw.getOutputStream();
        DataInputStream in = new DataInputStream(raw.getInputStream());
        Frames.write(out, LinkFixture.WIRE.write(Samples.authorisation(9))); // no field 128 at all
        Iso8583Wire.Received answer = LinkFixture.readFrame(in);
        assertThat(((CardResponse) answer.message()).responseCode()).isEqualTo(ResponseCode.MAC_FAILURE);
        assertThat(answer.mac()).isNull();
      }
      assertThat(handled).isEmpty();
      assertThat(server.stats().macRefusals()).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void cardRequestBeforeSignOn_isAnswered91(AlgorithmSuite suite) throws Exception {
    ZoneKeys keys = Samples.zoneKeys(suite);
    try (Iso8583Server server = LinkFixture.server(suite, LinkFixture::approveWithStan);
        Socket raw = new Socket(LinkFixture.loopback(server.port()).getAddress(), server.port())) {
      Frames.write(raw.getOutputStream(), LinkFixture.WIRE.write(Samples.authorisation(5), suite, keys.current()));
      Iso8583Wire.Received answer = LinkFixture.readFrame(new DataInputStream(raw.getInputStream()));
      assertThat(((CardResponse) answer.message()).responseCode()).isEqualTo(ResponseCode.ISSUER_UNAVAILABLE);
      assertThat(Iso8583Wire.verify(answer, suite, keys.acceptable(0))).isEqualTo(keys.current());
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aHandlerThatFails_isAnswered96_andTheLinkGoesOn(AlgorithmSuite suite) throws Exception {
    Iso8583Server.Handler failing = request -> {
      if (request.stan() == 1_000) {
        throw new IllegalStateException("issuer database unreachable");
      }
      return LinkFixture.approveWithStan(request);
    };
    try (Iso8583Server server = LinkFixture.server(suite, failing);
        Iso8583Client client = LinkFixture.client(suite, server.port(), LinkFixture.clientSettings())) {
      Outcome failed = client.send(Samples.authorisation(1_000));
      assertThat(failed).isInstanceOfSatisfying(Outcome.Answered.class, answered ->
          assertThat(((CardResponse) answered.response()).responseCode()).isEqualTo(ResponseCode.SYSTEM_MALFUNCTION));
      assertThat(client.send(Samples.authorisation(1_001))).isInstanceOfSatisfying(Outcome.Answered.class,
          answered -> assertThat(((CardResponse) answered.response()).responseCode()).isEqualTo(ResponseCode.APPROVED));
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void afterTheServerGoesAway_theNextRequestReconnectsAndSignsOnAgain(AlgorithmSuite suite) throws Exception {
    Iso8583Server first = LinkFixture.server(suite, LinkFixture::approveWithStan);
    int port = first.port();
    try (Iso8583Client client = LinkFixture.client(suite, port, LinkFixture.clientSettings())) {
      assertThat(client.send(Samples.authorisation(client.nextStan()))).isInstanceOf(Outcome.Answered.class);
      first.close();
      LinkFixture.await(() -> !client.isConnected(), WAIT, "the client saw the connection go");
      try (Iso8583Server second = LinkFixture.startWhenPortFree(suite, port)) {
        assertThat(second.port()).isEqualTo(port);
        assertThat(client.send(Samples.authorisation(client.nextStan()))).isInstanceOf(Outcome.Answered.class);
        assertThat(client.isConnected()).isTrue();
        assertThat(client.stats().connects()).isEqualTo(2);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void anIdleClient_sendsEchoesAsKeepAlive(AlgorithmSuite suite) throws Exception {
    try (Iso8583Server server = LinkFixture.server(suite, LinkFixture::approveWithStan);
        Iso8583Client client = LinkFixture.client(suite, server.port(),
            LinkFixture.clientSettings().withEchoIntervalMs(100))) {
      client.connect();
      LinkFixture.await(() -> server.stats().requests() >= 3, WAIT, "sign-on and two echoes reached the server");
      assertThat(client.stats().answered()).isGreaterThanOrEqualTo(2);
      assertThat(client.stats().connects()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aConnectionOverTheBound_isClosedAtOnce_andTheOthersGoOn(AlgorithmSuite suite) throws Exception {
    try (Iso8583Server server = new Iso8583Server(LinkFixture.serverSettings().withConnectionsMax(1),
            Samples.zoneKeys(suite), LinkFixture::approveWithStan, LinkFixture.WIRE).start(LinkFixture.loopback(0));
        Iso8583Client client = LinkFixture.client(suite, server.port(), LinkFixture.clientSettings())) {
      client.connect();
      try (Socket extra = new Socket(LinkFixture.loopback(server.port()).getAddress(), server.port())) {
        extra.setSoTimeout((int) WAIT.toMillis());
        assertThat(extra.getInputStream().read()).as("server closed the extra connection").isEqualTo(-1);
      }
      assertThat(server.stats().connectionsRefused()).isEqualTo(1);
      assertThat(client.send(Samples.authorisation(client.nextStan()))).isInstanceOf(Outcome.Answered.class);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void keyChange_switchesBothEnds_andTrafficGoesOnUnderTheNewKey(AlgorithmSuite suite) throws Exception {
    ZoneKeys serverKeys = Samples.zoneKeys(suite);
    ZoneKeys clientKeys = Samples.zoneKeys(suite);
    try (Iso8583Server server = new Iso8583Server(LinkFixture.serverSettings(), serverKeys,
            LinkFixture::approveWithStan, LinkFixture.WIRE).start(LinkFixture.loopback(0));
        Iso8583Client client = new Iso8583Client(LinkFixture.loopback(server.port()), LinkFixture.clientSettings(),
            clientKeys, LinkFixture.WIRE)) {
      client.connect();
      Outcome change = client.changeKey();
      assertThat(change).isInstanceOfSatisfying(Outcome.Answered.class, answered ->
          assertThat(((NetworkManagementResponse) answered.response()).responseCode()).isEqualTo(ResponseCode.APPROVED));
      assertThat(clientKeys.current().number()).isEqualTo(2);
      assertThat(serverKeys.current()).isEqualTo(clientKeys.current());
      assertThat(client.send(Samples.authorisation(client.nextStan()))).isInstanceOf(Outcome.Answered.class);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void keyChange_whileRequestsAreInFlight_theirAnswersStillVerifyUnderTheOldKey(AlgorithmSuite suite)
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Iso8583Server.Handler held = request -> {
      try {
        release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return LinkFixture.approveWithStan(request);
    };
    ZoneKeys clientKeys = Samples.zoneKeys(suite);
    try (Iso8583Server server = LinkFixture.server(suite, held);
        Iso8583Client client = new Iso8583Client(LinkFixture.loopback(server.port()), LinkFixture.clientSettings(),
            clientKeys, LinkFixture.WIRE)) {
      client.connect();
      List<CompletableFuture<Outcome>> inFlight = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        inFlight.add(client.sendAsync(Samples.authorisation(client.nextStan())));
      }
      assertThat(client.changeKey()).isInstanceOf(Outcome.Answered.class);
      assertThat(clientKeys.current().number()).isEqualTo(2);
      release.countDown();
      for (CompletableFuture<Outcome> outcome : inFlight) {
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(Outcome.Answered.class);
      }
      assertThat(client.stats().macFailures()).isZero();
      assertThat(client.send(Samples.authorisation(client.nextStan()))).isInstanceOf(Outcome.Answered.class);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void keyChange_withAWrongCheckValue_isRefusedAndChangesNothing(AlgorithmSuite suite) throws Exception {
    ZoneKeys serverKeys = Samples.zoneKeys(suite);
    ZoneKeys keys = Samples.zoneKeys(suite);
    KeyExchange good = keys.wrap(ZoneKeys.newZak());
    byte[] badCheck = good.checkValue();
    badCheck[0] ^= 1;
    NetworkManagementRequest change = new NetworkManagementRequest(NetworkCode.KEY_CHANGE, Samples.AT, 3, "48020000",
        "ACQ00001", new KeyExchange(good.encryptedKey(), badCheck));
    try (Iso8583Server server = new Iso8583Server(LinkFixture.serverSettings(), serverKeys,
            LinkFixture::approveWithStan, LinkFixture.WIRE).start(LinkFixture.loopback(0));
        Socket raw = new Socket(LinkFixture.loopback(server.port()).getAddress(), server.port())) {
      Frames.write(raw.getOutputStream(), LinkFixture.WIRE.write(change, suite, keys.current()));
      Iso8583Wire.Received answer = LinkFixture.readFrame(new DataInputStream(raw.getInputStream()));
      assertThat(((NetworkManagementResponse) answer.message()).responseCode()).isEqualTo(ResponseCode.MAC_FAILURE);
      assertThat(serverKeys.current().number()).isEqualTo(1);
    }
  }
}
