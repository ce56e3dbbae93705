package io.iotpay.acquirer.pos.online;

import io.iotpay.acquirer.pos.merchant.OnboardingService;
import io.iotpay.acquirer.pos.merchant.TerminalId;
import io.iotpay.acquirer.pos.risk.RiskConfig;
import io.iotpay.acquirer.pos.risk.RiskVerdict;
import io.iotpay.acquirer.pos.risk.TerminalRiskService;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.store.Database;
import io.iotpay.phone.pos.AcquirerHttp;
import io.iotpay.phone.pos.DeviceSensors;
import io.iotpay.phone.pos.Enroller;
import io.iotpay.phone.pos.HttpAcquirerClient;
import io.iotpay.phone.pos.MonitoringService;
import io.iotpay.phone.pos.PosSdk;
import io.iotpay.phone.pos.SecureElement;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.LinkSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * {@link OnlineWorld} with phones as terminals: the acquirer's {@link TerminalRiskService} (its own
 * SQLite store) wired into the host as its {@link TerminalRiskCheck} and served on the registry's
 * HTTP API, phones enrolled through the acquiring SDK with a key pair in a jCardSim SE, and the
 * world's card as a jCardSim EMV card. With {@link Reach#HTTP} the SDK enrols and attests through
 * the acquirer's HTTP API with the merchant's token ({@link HttpAcquirerClient}), as an app does;
 * with {@link Reach#DIRECT} by calls into the acquirer's services.
 */
final class PhoneWorld implements AutoCloseable {
  static final byte[] GENUINE_BUILD = sha256("iotpay-pos-sdk 1.0 release build");
  static final byte[] TAMPERED_BUILD = sha256("iotpay-pos-sdk 1.0 repackaged with a hook");
  /** Shanghai, People's Square, in microdegrees. */
  static final int LAT = 31_230_400;
  static final int LON = 121_473_700;

  /** How the SDK reaches the acquirer's enrolment and monitoring service. */
  enum Reach {
    DIRECT,
    HTTP
  }

  final OnlineWorld w;
  final Reach reach;
  /** The world's merchant's bearer token, given again to its registration retried over HTTP. */
  final String merchantToken;
  final Database riskDb;
  final TerminalRiskService risk;
  final PhoneParts.Chip card;

  PhoneWorld(AlgorithmSuite suite, Path dir, int velocityMax) throws Exception {
    this(suite, dir, velocityMax, Reach.HTTP);
  }

  PhoneWorld(AlgorithmSuite suite, Path dir, int velocityMax, Reach reach) throws Exception {
    this.reach = reach;
    w = OnlineWorld.onSqlite(suite, dir);
    riskDb = Database.open("jdbc:sqlite:" + dir.resolve("risk.db"), 4);
    risk = new TerminalRiskService(new RiskConfig(Set.of(Hex.encode(GENUINE_BUILD)), 60_000, 60_000, velocityMax,
        3_600_000, 900, 50), riskDb, w.registry.service(), w.acquirerClock);
    w.closeAcquirer();
    w.riskCheck = risk;
    w.openAcquirer();
    w.registry.serveMonitoring(risk);
    merchantToken = merchantTokenOverHttp();
    card = PhoneParts.card(suite, w.imk, OnlineWorld.PAN);
  }

  URI api() {
    return URI.create("http://127.0.0.1:" + w.registry.port());
  }

  /** The SDK's client of the acquirer's HTTP API, with the merchant's token. */
  HttpAcquirerClient client() {
    return new HttpAcquirerClient(AcquirerHttp.jdk(api(), Duration.ofSeconds(10)), merchantToken, w.suite);
  }

  /** The registration OnlineWorld made, sent again over HTTP with its request id: 200 and the merchant's token. */
  private String merchantTokenOverHttp() throws Exception {
    String body = "{\"request_id\":\"req-online-1\",\"legal_name\":\"Noodle Stall\",\"business_licence_number\":"
        + "\"91310000MA1K000001\",\"owner_id_number\":\"110105194912310021\",\"mcc\":\"5812\",\"address\":\"1 Road\","
        + "\"settlement_account\":{\"bank_id\":\"10200000\",\"account_number\":\"6222000011112222\"}}";
    HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(api().resolve("/v1/pos/merchants"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new IllegalStateException("the retried registration answered " + answer.statusCode() + ": " + answer.body());
    }
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body()).get("merchant_token").asText();
  }

  OnboardingService onboarding() {
    return w.registry.service();
  }

  /** A phone: its SE and SDK directory, enrolled with the world's merchant. */
  record Phone(SecureElement se, Path dir, String terminalId) {}

  Phone enrol(Path dir) {
    SecureElement se = PhoneParts.secureElement(w.suite);
    Enroller.Enrolled enrolled = PosSdk.enrol(dir, w.suite, se, reach == Reach.HTTP ? client() : csr -> {
      OnboardingService.Enrolment e = onboarding().enrol(w.merchant, w.suite, csr);
      try {
        return new Enroller.Enrolled(e.terminal().id().value(), e.certificate().getEncoded());
      } catch (java.security.cert.CertificateEncodingException x) {
        throw new IllegalStateException(x);
      }
    });
    return new Phone(se, dir, enrolled.terminalId());
  }

  /** The monitoring service as the SDK reaches it: over HTTP, or a direct call into the acquirer's risk service. */
  MonitoringService monitoring() {
    if (reach == Reach.HTTP) {
      return client();
    }
    return new MonitoringService() {
      @Override
      public byte[] nonce(String terminalId) {
        return risk.nonce(new TerminalId(terminalId));
      }

      @Override
      public Verdict attest(String terminalId, byte[] token) {
        RiskVerdict v = risk.attest(new TerminalId(terminalId), token);
        return new Verdict(v.outcome().name(), v.reason().name(), v.detail());
      }
    };
  }

  Iso8583Client link(String terminalId) {
    return new Iso8583Client(OnlineWorld.loopback(w.host.terminalPort()),
        LinkSettings.defaults(OnlineWorld.INSTITUTION, terminalId).withRequestTimeoutMs(20_000).withEchoIntervalMs(0),
        w.zoneKeys(3), OnlineWorld.WIRE);
  }

  static PosSdk.Options options(Path dir) {
    return new PosSdk.Options(dir, OnlineWorld.INSTITUTION, "PHONESHOP1", 1, 0, UnaryOperator.identity());
  }

  PosSdk open(Phone phone, MonitoringService monitoring, DeviceSensors sensors, PosSdk.OnlineAuthoriserWrap wrap) {
    return PosSdk.open(options(phone.dir()), phone.se(), link(phone.terminalId()), monitoring, sensors,
        Clock.systemUTC(), wrap);
  }

  PosSdk open(Phone phone) {
    return open(phone, monitoring(), genuine(), l -> l);
  }

  static DeviceSensors genuine() {
    return DeviceSensors.fixed(GENUINE_BUILD, 0, LAT, LON);
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    w.close();
    riskDb.close();
  }
}
