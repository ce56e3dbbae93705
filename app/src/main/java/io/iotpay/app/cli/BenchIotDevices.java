package io.iotpay.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.agent.sdk.EnvelopeClient;
import io.iotpay.agent.sdk.InMemoryMessageCounter;
import io.iotpay.agent.sdk.PlatformTrust;
import io.iotpay.agent.sdk.SealedMessage;
import io.iotpay.agent.sdk.SoftwareDeviceSigner;
import io.iotpay.agent.transport.MqttDeviceConfig;
import io.iotpay.agent.transport.MqttDeviceTransport;
import io.iotpay.bench.iot.ClosedLoop;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Pem;
import io.iotpay.protocol.device.DeviceMessageCodec;
import io.iotpay.protocol.device.DeviceRequest;
import io.iotpay.protocol.device.PlatformAnswer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The device side of {@code iotpay bench iot}, in a process of its own (as devices are not the
 * platform, and one process cannot hold both ends of 10,000 connections within a 20,000-file limit):
 * reads the devices' keys and the platform's answer keys from a directory, connects every device to
 * the broker, runs the closed loop of signed payment events and prints its figures as one JSON line.
 * Prints {@code MEASURE_START} and {@code MEASURE_END} lines around the measured phase so the platform
 * process can read its own CPU over exactly that phase. Not a user command.
 *
 * <p>Arguments: {@code DIR HOST PORT IN_FLIGHT WARMUP_S SECONDS}.
 */
public final class BenchIotDevices {
  static final String DEVICES_FILE = "devices.txt";
  static final String TRUST_FILE = "trust.txt";
  static final String MERCHANT = "city-parking";

  private BenchIotDevices() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String host = args[1];
    int port = Integer.parseInt(args[2]);
    int inFlight = Integer.parseInt(args[3]);
    double warmup = Double.parseDouble(args[4]);
    double seconds = Double.parseDouble(args[5]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    SecureRandom random = new SecureRandom();
    Map<AlgorithmSuite, PlatformTrust> trust = new EnumMap<>(AlgorithmSuite.class);
    for (String line : Files.readAllLines(dir.resolve(TRUST_FILE))) {
      String[] f = line.split(" ");
      AlgorithmSuite suite = AlgorithmSuite.valueOf(f[0]);
      trust.put(suite, new PlatformTrust(suite, f[1], Pem.readPublicKey(decode(f[2]), suite)));
    }
    List<SoftwareDeviceSigner> signers = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve(DEVICES_FILE))) {
      String[] f = line.split(" ");
      AlgorithmSuite suite = AlgorithmSuite.valueOf(f[1]);
      signers.add(new SoftwareDeviceSigner(f[0], suite,
          new KeyPair(Pem.readPublicKey(decode(f[3]), suite), Pem.readPrivateKey(decode(f[2]), suite))));
    }
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, Thread.ofPlatform().name("device-", 0).daemon().factory());
    MqttDeviceConfig config = MqttDeviceConfig.defaults(host, port).withAnswerTimeout(Duration.ofSeconds(30), 3);
    List<MqttDeviceTransport> transports = new ArrayList<>();
    ExecutorService connectors = Executors.newFixedThreadPool(16);
    try {
      List<Future<MqttDeviceTransport>> connecting = new ArrayList<>();
      for (SoftwareDeviceSigner signer : signers) {
        connecting.add(connectors.submit(() -> MqttDeviceTransport.connect(signer, config, scheduler,
            MqttDeviceTransport.AnswerCheck.MATCHING_COUNTER, Clock.systemUTC())));
      }
      for (int i = 0; i < connecting.size(); i++) {
        transports.add(connecting.get(i).get(300, TimeUnit.SECONDS));
        if ((i + 1) % 2_000 == 0) {
          System.err.printf("bench iot: %d devices connected%n", i + 1);
        }
      }
      connectors.shutdown();
      AtomicLong tickets = new AtomicLong();
      List<ClosedLoop.Sender> senders = new ArrayList<>();
      for (int i = 0; i < signers.size(); i++) {
        SoftwareDeviceSigner signer = signers.get(i);
        EnvelopeClient client = new EnvelopeClient(signer, new InMemoryMessageCounter(0), trust.get(signer.suite()), null, random);
        MqttDeviceTransport transport = transports.get(i);
        senders.add(() -> payOnce(client, transport, tickets.incrementAndGet()));
      }
      System.err.printf("bench iot: %d devices connected; %.0f s warm-up, %.0f s measured, %d in flight%n", signers.size(), warmup,
          seconds, inFlight);
      ClosedLoop.Result result = ClosedLoop.run(senders, inFlight, warmup, seconds, () -> out.println("MEASURE_START"));
      out.println("MEASURE_END");
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("completed", result.completed());
      json.put("failed", result.failed());
      json.put("seconds", result.seconds());
      json.put("p50_ms", result.latencies().quantileMs(0.50));
      json.put("p99_ms", result.latencies().quantileMs(0.99));
      json.put("device_process_cpu_s", result.processCpuSeconds());
      out.println(new ObjectMapper().writeValueAsString(json));
    } finally {
      for (MqttDeviceTransport transport : transports) {
        transport.close();
      }
      // The scheduler is left running: its threads are daemons, and the MQTT client still hands the end of
      // each closed subscription to it; shutting it down here made those hand-offs fail noisily.
    }
  }

  static DeviceRequest parking(long ticket) {
    return new DeviceRequest.Event("car-head-unit", Map.of("event", "parking-ended", "merchantId", MERCHANT, "amountMinor", "150",
        "currency", "CNY", "driverConfirmed", "true", "parkingTicket", "t" + ticket));
  }

  /** One payment event: sealed by the device, sent, and the platform's signed answer checked. */
  private static CompletableFuture<?> payOnce(EnvelopeClient client, MqttDeviceTransport transport, long ticket) {
    SealedMessage sealed = client.seal(DeviceMessageCodec.encode(parking(ticket)), false);
    return transport.send(sealed.bytes()).thenApply(answer -> {
      PlatformAnswer opened = DeviceMessageCodec.decodeAnswer(client.openAnswer(sealed, answer));
      if (opened.decisions().size() != 1 || !opened.decisions().get(0).outcome().equals("APPROVED")) {
        throw new IllegalStateException("payment not approved: " + opened);
      }
      return opened;
    });
  }

  static String encode(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
  }

  private static String decode(String field) {
    return new String(Base64.getDecoder().decode(field), StandardCharsets.US_ASCII);
  }
}
