package io.iotpay.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.agent.sdk.DeviceCsr;
import io.iotpay.agent.sdk.EnvelopeClient;
import io.iotpay.agent.sdk.EnvelopeException;
import io.iotpay.agent.sdk.InMemoryMessageCounter;
import io.iotpay.agent.sdk.PlatformTrust;
import io.iotpay.agent.sdk.SealedMessage;
import io.iotpay.agent.sdk.SoftwareDeviceSigner;
import io.iotpay.agent.transport.MqttDeviceConfig;
import io.iotpay.agent.transport.MqttDeviceTransport;
import io.iotpay.platform.keys.PlatformKeyStore;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Pem;
import io.iotpay.foundation.crypto.TlsTestFiles;
import io.iotpay.protocol.device.DeviceMessageCodec;
import io.iotpay.protocol.device.DeviceRequest;
import io.iotpay.protocol.device.PlatformAnswer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

/**
 * {@code iotpay serve} for real: started on free ports in a thread, asked for {@code /health} over
 * HTTP, a device registered over HTTP and heard over MQTT, stopped, started again on the same data
 * directory (same keys: the device still connects and trusts the answers), stopped again.
 */
class ServeCommandTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern MQTT_LINE = Pattern.compile("mqtt +tcp://([^:\\s]+):(\\d+)");
  private static final Pattern HTTP_LINE = Pattern.compile("http +http://([^:\\s]+):(\\d+)");
  private static final Pattern HTTPS_LINE = Pattern.compile("http +https://([^:\\s]+):(\\d+)");
  private static final Pattern MQTTS_LINE = Pattern.compile("mqtts +ssl://([^:\\s]+):(\\d+)");

  @TempDir Path dataDir;

  /** One running {@code serve}: the command, its thread, what it printed, its exit code once it ends. */
  private static final class Running {
    final ServeCommand command = new ServeCommand();
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final AtomicInteger exitCode = new AtomicInteger(Integer.MIN_VALUE);
    Thread thread;

    String host(Pattern line) {
      return matcher(line).group(1);
    }

    int port(Pattern line) {
      return Integer.parseInt(matcher(line).group(2));
    }

    private Matcher matcher(Pattern line) {
      Matcher matcher = line.matcher(out.toString());
      assertThat(matcher.find()).as("serve printed %s in:%n%s", line, out).isTrue();
      return matcher;
    }
  }

  private Running start(String masterKeyHex, String... options) {
    Running running = new Running();
    running.command.environment = name -> name.equals(PlatformKeyStore.MASTER_KEY_ENV) ? masterKeyHex : null;
    CommandLine line = new CommandLine(running.command).setOut(new PrintWriter(running.out, true))
        .setErr(new PrintWriter(running.err, true));
    String[] args = new String[options.length + 2];
    args[0] = "--data-dir";
    args[1] = dataDir.toString();
    System.arraycopy(options, 0, args, 2, options.length);
    running.thread = new Thread(() -> running.exitCode.set(line.execute(args)), "serve-under-test");
    running.thread.start();
    return running;
  }

  private Running startReady(String masterKeyHex, AlgorithmSuite suite) {
    Running running = start(masterKeyHex, "--mqtt-port", "0", "--coaps-port", "0", "--http-port", "0", "--audit-suite", suite.name());
    try {
      assertThat(running.command.awaitStarted(WAIT)).as("serve started or failed in time").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while serve started", e);
    }
    assertThat(running.out.toString()).as("serve ready; stderr:%n%s", running.err).contains("iotpay serve: ready");
    return running;
  }

  private static void stop(Running running) throws InterruptedException {
    running.command.stop();
    running.thread.join(WAIT.toMillis());
    assertThat(running.thread.isAlive()).isFalse();
    assertThat(running.exitCode.get()).isZero();
    assertThat(running.err.toString()).contains("iotpay serve: stopped");
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void serve_answersHealthAndAnMqttDevice_andAfterARestartTheSameDeviceIsStillTrusted(AlgorithmSuite suite) throws Exception {
    String masterKey = HexFormat.of().formatHex(RANDOM.generateSeed(PlatformKeyStore.MASTER_KEY_BYTES));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
    String deviceId = "serve-" + suite.name().toLowerCase(Locale.ROOT);
    SoftwareDeviceSigner signer = SoftwareDeviceSigner.generate(deviceId, suite, RANDOM);
    try {
      Running first = startReady(masterKey, suite);
      String base = "http://" + first.host(HTTP_LINE) + ":" + first.port(HTTP_LINE);
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("UP");

      String token = Files.readString(dataDir.resolve("operator.token")).strip();
      EnvelopeClient client = register(http, base, token, signer);
      assertThat(statusOverMqtt(mqtt(first), signer, client, scheduler, "1.0.0")).isEqualTo(PlatformAnswer.Status.OK);
      stop(first);

      Running second = startReady(masterKey, suite);
      assertThat(statusOverMqtt(mqtt(second), signer, client, scheduler, "1.0.1")).isEqualTo(PlatformAnswer.Status.OK);
      String base2 = "http://" + second.host(HTTP_LINE) + ":" + second.port(HTTP_LINE);
      HttpResponse<String> state = http.send(HttpRequest.newBuilder(URI.create(base2 + "/v1/devices/" + deviceId + "/state"))
          .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(state.statusCode()).as(state.body()).isEqualTo(200);
      assertThat(state.body()).contains("\"firmware\":\"1.0.1\"");
      stop(second);
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void portInUse_exits2NamingThePortAndItsOption() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      int port = taken.getLocalPort();
      Running running = start(null, "--mqtt-port", "0", "--coaps-port", "0", "--http-port", String.valueOf(port));
      running.thread.join(WAIT.toMillis());

      assertThat(running.exitCode.get()).isEqualTo(2);
      assertThat(running.err.toString()).contains("port " + port).contains("--http-port");
      assertThat(dataDir.resolve(PlatformKeyStore.DIRECTORY)).doesNotExist();
    }
  }

  @Test
  void badOrUnreachableDatabase_exits2WithOneLine_andSaysNoPassword() throws Exception {
    Running unsupported = start(null, "--mqtt-port", "-1", "--coaps-port", "-1", "--http-port", "-1", "--db", "jdbc:mysql://db/iotpay");
    unsupported.thread.join(WAIT.toMillis());
    assertThat(unsupported.exitCode.get()).isEqualTo(2);
    assertThat(unsupported.err.toString()).contains("--db jdbc:mysql://db/iotpay is not jdbc:sqlite:FILE or jdbc:postgresql");
    assertThat(dataDir.resolve(PlatformKeyStore.DIRECTORY)).as("nothing made").doesNotExist();

    // Port 1 on the loopback: nothing listens, the connection is refused at once.
    Running unreachable = start(null, "--mqtt-port", "-1", "--coaps-port", "-1", "--http-port", "-1", "--db",
        "jdbc:postgresql://127.0.0.1:1/iotpay?user=iotpay&password=s3cret-pw");
    unreachable.thread.join(WAIT.toMillis());
    assertThat(unreachable.exitCode.get()).isEqualTo(2);
    assertThat(unreachable.err.toString()).contains("cannot open the database jdbc:postgresql://127.0.0.1:1/iotpay (")
        .doesNotContain("s3cret-pw");
  }

  /**
   * {@code --tls-cert --tls-key} with what {@code openssl req -x509} writes (BouncyCastle where openssl is
   * missing): the API and the console answer a client trusting that certificate, the console's cookie is
   * {@code Secure; HttpOnly; SameSite=Strict}, plain HTTP to the port gets no HTTP answer and a client that does
   * not trust it fails its handshake; with {@code --mqtts-port} a device registered over HTTPS is answered
   * over MQTT on TLS with its connect token. The TLS key is ECDSA P-256 or RSA whatever the suite (the
   * JDK's TLS has no SM2): the node and its device run in both suites, with an EC key for one and an RSA
   * key for the other.
   */
  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void tls_servesTheApiAndConsole_withSecureCookies_andRefusesPlainHttp(AlgorithmSuite suite, @TempDir Path tlsDir) throws Exception {
    TlsTestFiles files = TlsTestFiles.make(tlsDir, "serve",
        suite == AlgorithmSuite.INTERNATIONAL ? TlsTestFiles.KeyKind.EC_P256 : TlsTestFiles.KeyKind.RSA_2048);
    String masterKey = HexFormat.of().formatHex(RANDOM.generateSeed(PlatformKeyStore.MASTER_KEY_BYTES));
    Running running = start(masterKey, "--mqtt-port", "0", "--mqtts-port", "0", "--coaps-port", "-1", "--http-port", "0",
        "--audit-suite", suite.name(), "--tls-cert", files.certificate().toString(), "--tls-key", files.key().toString());
    assertThat(running.command.awaitStarted(WAIT)).isTrue();
    assertThat(running.out.toString()).as("stderr:%n%s", running.err).contains("iotpay serve: ready");
    String base = "https://" + running.host(HTTPS_LINE) + ":" + running.port(HTTPS_LINE);
    String operator = Files.readString(dataDir.resolve("operator.token")).strip();
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
    try (HttpClient trusting = HttpClient.newBuilder().sslContext(files.trustingOnlyThis()).connectTimeout(Duration.ofSeconds(10)).build();
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
      assertThat(trusting.send(HttpRequest.newBuilder(URI.create(base + "/health")).GET().build(), HttpResponse.BodyHandlers.ofString())
          .body()).isEqualTo("{\"status\":\"UP\"}");
      HttpResponse<String> devices = trusting.send(HttpRequest.newBuilder(URI.create(base + "/v1/devices"))
          .header("Authorization", "Bearer " + operator).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(devices.statusCode()).as(devices.body()).isEqualTo(200);

      HttpResponse<String> form = trusting.send(HttpRequest.newBuilder(URI.create(base + "/console/login")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      String cookie = form.headers().firstValue("Set-Cookie").orElseThrow();
      assertThat(cookie).contains("; Secure").contains("; HttpOnly").contains("; SameSite=Strict");
      Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([A-Za-z0-9_-]+)\"").matcher(form.body());
      assertThat(csrf.find()).isTrue();
      HttpResponse<String> login = trusting.send(HttpRequest.newBuilder(URI.create(base + "/console/login"))
          .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf.group(1) + "&token=" + operator)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).isEqualTo(303);
      assertThat(login.headers().firstValue("Set-Cookie")).get().asString()
          .contains("; Secure").contains("; HttpOnly").contains("; SameSite=Strict");

      HttpRequest overPlainHttp = HttpRequest.newBuilder(URI.create(base.replace("https://", "http://") + "/health")).GET().build();
      assertThatThrownBy(() -> plain.send(overPlainHttp, HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
      HttpRequest untrusted = HttpRequest.newBuilder(URI.create(base + "/health")).GET().build();
      assertThatThrownBy(() -> plain.send(untrusted, HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);

      // A device registered over HTTPS talks MQTT over TLS with its connect token (the TLS listener beside the TCP one).
      String deviceId = "tls-" + suite.name().toLowerCase(Locale.ROOT);
      SoftwareDeviceSigner signer = SoftwareDeviceSigner.generate(deviceId, suite, RANDOM);
      EnvelopeClient client = register(trusting, base, operator, signer);
      MqttDeviceConfig mqtts = MqttDeviceConfig.defaults(running.host(MQTTS_LINE), running.port(MQTTS_LINE)).withTls(files.trustManagers());
      assertThat(statusOverMqtt(mqtts, signer, client, scheduler, "2.0.0")).isEqualTo(PlatformAnswer.Status.OK);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("mqtt/tls/server.p12")))).isEqualTo("rw-------");
    } finally {
      scheduler.shutdownNow();
      stop(running);
    }
  }

  @Test
  void tlsFilesThatDoNotFit_exit2WithOneLine_beforeAnythingIsMade(@TempDir Path tlsDir) throws Exception {
    TlsTestFiles one = TlsTestFiles.make(tlsDir, "one", TlsTestFiles.KeyKind.EC_P256);
    TlsTestFiles other = TlsTestFiles.make(tlsDir, "other", TlsTestFiles.KeyKind.EC_P256);
    assertThat(exit2(new String[] {"--tls-cert", one.certificate().toString()}))
        .isEqualTo("iotpay serve: --tls-cert and --tls-key go together (the certificate and its private key, PEM)");
    assertThat(exit2(new String[] {"--mqtts-port", "0"})).isEqualTo("iotpay serve: --mqtts-port needs --tls-cert and --tls-key and the "
        + "embedded broker (--mqtt-port not -1, no --mqtt-broker)");
    assertThat(exit2(new String[] {"--tls-cert", one.certificate().toString(), "--tls-key", other.key().toString()}))
        .startsWith("iotpay serve: TLS key " + other.key() + " is not the key of the certificate in " + one.certificate());
    assertThat(exit2(new String[] {"--tls-cert", tlsDir.resolve("missing.pem").toString(), "--tls-key", one.key().toString()}))
        .isEqualTo("iotpay serve: TLS certificate " + tlsDir.resolve("missing.pem") + " does not exist");
    Files.setPosixFilePermissions(one.key(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
    assertThat(exit2(new String[] {"--tls-cert", one.certificate().toString(), "--tls-key", one.key().toString()}))
        .isEqualTo("iotpay serve: TLS key " + one.key() + " is open to group or others (rw-r-----); it must be owner-only: chmod 600 "
            + one.key());
    assertThat(dataDir.resolve(PlatformKeyStore.DIRECTORY)).as("nothing made").doesNotExist();
  }

  /** Runs serve with {@code options} (all doors on free ports), expects exit status 2, and returns its one stderr line. */
  private String exit2(String[] options) throws InterruptedException {
    String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("--mqtt-port", "-1", "--coaps-port", "-1",
        "--http-port", "0"), java.util.Arrays.stream(options)).toArray(String[]::new);
    Running running = start(null, args);
    running.thread.join(WAIT.toMillis());
    assertThat(running.exitCode.get()).as(running.err.toString()).isEqualTo(2);
    assertThat(running.err.toString().lines()).hasSize(1);
    return running.err.toString().strip();
  }

  /**
   * Registers the signer's device from its CSR over the node's API and returns its envelope client, which
   * trusts the answer key the node published on disk, as a real device is provisioned.
   */
  private EnvelopeClient register(HttpClient http, String base, String operatorToken, SoftwareDeviceSigner signer) throws Exception {
    AlgorithmSuite suite = signer.suite();
    String body = "{\"suite\":\"" + suite + "\",\"csr\":\"" + Base64.getEncoder().encodeToString(DeviceCsr.create(signer)) + "\"}";
    HttpResponse<String> registered = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/devices"))
        .header("Authorization", "Bearer " + operatorToken).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
    return new EnvelopeClient(signer, new InMemoryMessageCounter(0), new PlatformTrust(suite,
        "platform-answers-" + suite.name().toLowerCase(Locale.ROOT),
        Pem.readPublicKey(Files.readString(PlatformKeyStore.answerPublicKeyFile(dataDir, suite)), suite)), null, RANDOM);
  }

  private static MqttDeviceConfig mqtt(Running running) {
    return MqttDeviceConfig.defaults(running.host(MQTT_LINE), running.port(MQTT_LINE));
  }

  private static PlatformAnswer.Status statusOverMqtt(MqttDeviceConfig broker, SoftwareDeviceSigner signer, EnvelopeClient client,
      ScheduledExecutorService scheduler, String firmware) throws Exception {
    MqttDeviceTransport.AnswerCheck verifying = (sent, counter, answer) -> {
      try {
        client.openAnswer(new SealedMessage(counter, sent), answer);
        return true;
      } catch (EnvelopeException e) {
        return false;
      }
    };
    try (MqttDeviceTransport transport = MqttDeviceTransport.connect(signer, broker, scheduler, verifying, Clock.systemUTC())) {
      SealedMessage sealed = client.seal(DeviceMessageCodec.encode(new DeviceRequest.Status(firmware, false, null, null)), false);
      byte[] answer = transport.send(sealed.bytes()).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
      return DeviceMessageCodec.decodeAnswer(client.openAnswer(sealed, answer)).status();
    }
  }
}
