package io.iotpay.platform.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.agent.sdk.DeviceCsr;
import io.iotpay.agent.sdk.EnvelopeClient;
import io.iotpay.agent.sdk.InMemoryMessageCounter;
import io.iotpay.agent.sdk.PlatformTrust;
import io.iotpay.agent.sdk.SoftwareDeviceSigner;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.platform.inbox.DeviceInbox;
import io.iotpay.protocol.device.RefusalReason;
import io.iotpay.platform.inbox.Reply;
import io.iotpay.platform.inbox.Transport;
import io.iotpay.platform.decision.PlatformFixture;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.envelope.AnswerPayload;
import io.iotpay.platform.envelope.CounterStore;
import io.iotpay.platform.envelope.DeviceMessage;
import io.iotpay.platform.envelope.EnvelopeException;
import io.iotpay.platform.envelope.EnvelopeService;
import io.iotpay.platform.envelope.PlatformSigningKey;
import io.iotpay.platform.identity.DeviceCa;
import io.iotpay.platform.identity.DeviceRegistry;
import io.iotpay.platform.identity.IdentityConfig;
import io.iotpay.platform.identity.IdentityService;
import io.iotpay.platform.identity.Pki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The HTTP API on real parts, listening on a free loopback port: the decision platform
 * ({@link PlatformFixture}: SQLite, audit log, ledger, mandates, risk), identity with a device CA per
 * suite on the same database, the real envelope service behind a small inbox, and a
 * {@code java.net.http} client. Users: alice (account 501) and bob (account 502).
 */
final class HttpApiFixture implements AutoCloseable {
  static final SecureRandom RANDOM = new SecureRandom();
  static final String ALICE = "alice";
  static final String BOB = "bob";
  static final String ALICE_TOKEN = "alice-token-" + RANDOM.nextLong();
  static final String BOB_TOKEN = "bob-token-" + RANDOM.nextLong();
  static final long ALICE_ACCOUNT = 501;
  static final long BOB_ACCOUNT = 502;
  static final ObjectMapper JSON = new ObjectMapper();

  final AlgorithmSuite suite;
  final PlatformFixture platform;
  final IdentityService identity;
  final DeviceRegistry registry;
  final Map<AlgorithmSuite, PlatformSigningKey> answerKeys = new EnumMap<>(AlgorithmSuite.class);
  final Map<DeviceId, SecretKeyBytes> payloadKeys = new ConcurrentHashMap<>();
  final EnvelopeService envelopes;
  final TestInbox inbox;
  final String operatorToken;
  final HttpApiServices services;
  final PlatformHttpApi api;
  /** The operator's directory behind {@code /v1/users} and {@code /v1/accounts}. */
  final StoredUsers users;
  final StoredAccountOwners holders;
  final HttpClient http;
  final URI base;

  HttpApiFixture(AlgorithmSuite suite, Path tempDir) throws Exception {
    this(suite, tempDir, HttpApiConfig.defaults());
  }

  HttpApiFixture(AlgorithmSuite suite, Path tempDir, HttpApiConfig config) throws Exception {
    this(suite, tempDir, config, null);
  }

  /** @param trust the client's TLS trust when the API serves TLS; null for plain HTTP */
  HttpApiFixture(AlgorithmSuite suite, Path tempDir, HttpApiConfig config, javax.net.ssl.SSLContext trust) throws Exception {
    this(suite, tempDir, config, trust, f -> List.of());
  }

  /** @param mounts what else the API serves (the operator console), made from the fixture's parts before it starts */
  HttpApiFixture(AlgorithmSuite suite, Path tempDir, HttpApiConfig config, javax.net.ssl.SSLContext trust,
      java.util.function.Function<HttpApiFixture, List<HttpMount>> mounts) throws Exception {
    this.suite = suite;
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    http = (trust == null ? client : client.sslContext(trust)).build();
    platform = new PlatformFixture(suite, tempDir);
    // The test PKI's certificates start on Pki.T0: move business time past it.
    platform.clock.advance(Duration.between(PlatformFixture.START, Pki.T0.plus(Duration.ofHours(1))));
    registry = new DeviceRegistry(platform.database);
    Map<AlgorithmSuite, DeviceCa> cas = new EnumMap<>(AlgorithmSuite.class);
    for (AlgorithmSuite each : AlgorithmSuite.values()) {
      cas.put(each, Pki.deviceCa(each));
      answerKeys.put(each, new PlatformSigningKey(each, "platform-" + each.name().toLowerCase(java.util.Locale.ROOT),
          each.signature().generateKeyPair(RANDOM)));
    }
    identity = new IdentityService(registry, cas, IdentityConfig.defaults());
    envelopes = new EnvelopeService(identity, new CounterStore(platform.database), answerKeys,
        device -> Optional.ofNullable(payloadKeys.get(device)), EnvelopeService.ENVELOPE_BYTES_MAX_DEFAULT, RANDOM);
    inbox = new TestInbox(envelopes);
    platform.userAccount(ALICE_ACCOUNT, 1_000_000);
    platform.userAccount(BOB_ACCOUNT, 1_000_000);
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    operatorToken = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    users = new StoredUsers(platform.database, RANDOM);
    holders = new StoredAccountOwners(platform.database);
    UserTokens fixed = UserTokens.inMemory(Map.of(ALICE_TOKEN, ALICE, BOB_TOKEN, BOB));
    HttpAuth auth = new HttpAuth(operatorToken, token -> users.userOf(token).or(() -> fixed.userOf(token)),
        (user, account) -> (user.equals(ALICE) && account == ALICE_ACCOUNT) || (user.equals(BOB) && account == BOB_ACCOUNT)
            || holders.holds(user, account));
    services = new HttpApiServices(identity, registry, platform.merchants, platform.mandates, platform.service,
        platform.states, inbox, platform.clock, auth);
    DirectoryServices directory = new DirectoryServices(users, holders, new FixtureAccounts(platform.ledger),
        device -> ("psk-of-" + device.value()).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        leaf -> platform.auditLog.appendStandalone(List.of(leaf)));
    PlatformHttpApi unstarted = new PlatformHttpApi(services, config, directory);
    mounts.apply(this).forEach(unstarted::mount);
    api = unstarted.start("127.0.0.1", 0);
    base = URI.create((api.tls() ? "https" : "http") + "://127.0.0.1:" + api.port());
  }

  /** A device whose keys stay on the "chip" (here: in memory), registered over HTTP from its SDK-made CSR. */
  record Device(String id, KeyPair keys, SoftwareDeviceSigner signer, EnvelopeClient client, JsonNode registration) {}

  Device enrol(String id) throws Exception {
    KeyPair keys = suite.signature().generateKeyPair(RANDOM);
    SoftwareDeviceSigner signer = new SoftwareDeviceSigner(id, suite, keys);
    String body = JSON.createObjectNode().put("suite", suite.name())
        .put("csr", Base64.getEncoder().encodeToString(DeviceCsr.create(signer))).toString();
    Response response = call("POST", "/v1/devices", operatorToken, body);
    if (response.status() != 201) {
      throw new AssertionError("enrolment of " + id + " answered " + response);
    }
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    SecretKeyBytes payloadKey = new SecretKeyBytes(key);
    payloadKeys.put(DeviceId.of(id), payloadKey);
    PlatformSigningKey answerKey = answerKeys.get(suite);
    EnvelopeClient client = new EnvelopeClient(signer, new InMemoryMessageCounter(0),
        new PlatformTrust(suite, answerKey.keyId(), answerKey.keys().getPublic()), payloadKey, RANDOM);
    return new Device(id, keys, signer, client, response.json());
  }

  /** One answer: status, content type, body. */
  record Response(int status, String contentType, byte[] body, Map<String, List<String>> headers) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (Exception e) {
        throw new AssertionError("not JSON: " + text(), e);
      }
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String error() {
      return json().path("error").asText();
    }

    @Override
    public String toString() {
      return status + " " + text();
    }
  }

  Response call(String method, String path, String token, String jsonBody) throws Exception {
    return call(method, path, token, "application/json", jsonBody == null ? null : jsonBody.getBytes(StandardCharsets.UTF_8));
  }

  Response call(String method, String path, String token, String contentType, byte[] body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      if (contentType != null) {
        request.header("Content-Type", contentType);
      }
      request.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    }
    HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body(),
        response.headers().map());
  }

  @Override
  public void close() {
    api.close();
    http.close();
    platform.close();
  }

  /**
   * A device inbox on the real envelope service: checks the envelope end to end, refuses one signed by
   * another device than the channel's, and answers {@code ack:<payload>}. Remembers what reached it.
   */
  static final class TestInbox implements DeviceInbox {
    final EnvelopeService envelopes;
    final List<DeviceMessage> delivered = new CopyOnWriteArrayList<>();
    /** The real bounded security log, fed with every refusal here. */
    final io.iotpay.platform.inbox.SecurityEventLog security = new io.iotpay.platform.inbox.SecurityEventLog(1_000, 1_000);

    TestInbox(EnvelopeService envelopes) {
      this.envelopes = envelopes;
    }

    @Override
    public Reply deliver(Transport transport, DeviceId channelDevice, byte[] envelope) {
      Reply reply = answer(channelDevice, envelope);
      if (reply instanceof Reply.Refused refused) {
        refusedAtDoor(transport, channelDevice, refused.reason(), refused.detail());
      }
      return reply;
    }

    @Override
    public void refusedAtDoor(Transport transport, DeviceId channelDevice, RefusalReason reason, String detail) {
      security.record(java.time.Instant.now(), transport, channelDevice.value(), reason, detail);
    }

    @Override
    public java.util.Optional<io.iotpay.platform.inbox.SecurityEventLog> securityEvents() {
      return java.util.Optional.of(security);
    }

    private Reply answer(DeviceId channelDevice, byte[] envelope) {
      try {
        EnvelopeService.Outcome outcome = envelopes.handle(envelope, message -> {
          if (!message.deviceId().equals(channelDevice)) {
            throw new ChannelMismatch(message.deviceId() + " signed an envelope sent on " + channelDevice + "'s channel");
          }
          delivered.add(message);
          byte[] payload = message.payload();
          byte[] answer = new byte[payload.length + 4];
          System.arraycopy("ack:".getBytes(StandardCharsets.US_ASCII), 0, answer, 0, 4);
          System.arraycopy(payload, 0, answer, 4, payload.length);
          return new AnswerPayload(answer, message.encrypted());
        });
        return new Reply.Answer(outcome.answer(), outcome instanceof EnvelopeService.Outcome.Duplicate);
      } catch (EnvelopeException e) {
        return new Reply.Refused(RefusalReason.valueOf(e.reason().name()), e.getMessage());
      } catch (ChannelMismatch e) {
        return new Reply.Refused(RefusalReason.CHANNEL_MISMATCH, e.getMessage());
      }
    }

    @Override
    public void connectivity(Transport transport, DeviceId device, ConnectivityEvent event, String sessionId) {}

    private static final class ChannelMismatch extends RuntimeException {
      private static final long serialVersionUID = 1L;

      ChannelMismatch(String message) {
        super(message);
      }
    }
  }
}
