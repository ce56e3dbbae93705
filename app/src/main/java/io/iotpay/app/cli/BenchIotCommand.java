package io.iotpay.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.iotpay.agent.sdk.DeviceCsr;
import io.iotpay.agent.sdk.DeviceSigner;
import io.iotpay.agent.sdk.EnvelopeClient;
import io.iotpay.agent.sdk.InMemoryMessageCounter;
import io.iotpay.agent.sdk.PlatformTrust;
import io.iotpay.agent.sdk.SoftwareDeviceSigner;
import io.iotpay.app.iot.ChipSigningCost;
import io.iotpay.app.iot.IotBooks;
import io.iotpay.app.iot.IotNode;
import io.iotpay.app.iot.IotServer;
import io.iotpay.bench.iot.ClosedLoop;
import io.iotpay.bench.iot.RawBrokerReference;
import io.iotpay.bench.iot.SignatureCeiling;
import io.iotpay.bench.iot.VerifyLimit;
import io.iotpay.foundation.InvalidInputException;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.Pem;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.foundation.time.BusinessDayRule;
import io.iotpay.foundation.time.SystemBusinessClock;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountFlags;
import io.iotpay.ledger.Transfer;
import io.iotpay.platform.inbox.InboxPipeline;
import io.iotpay.platform.operator.UserTokens;
import io.iotpay.platform.identity.DeviceId;
import io.iotpay.platform.mandate.MandateTerms;
import io.iotpay.platform.mandate.Merchant;
import io.iotpay.platform.risk.RiskConfig;
import io.iotpay.protocol.device.DeviceMessageCodec;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iotpay bench iot} (issue #5): simulated devices over MQTT to the embedded broker, each sending
 * signed payment events end to end — chip signature, broker, bridge, envelope verification, risk,
 * mandate, authorisation at the issuer, ledger hold, audit, signed answer verified by the device — in a
 * closed loop. In the same run: the raw broker round trip with the same message size and no platform,
 * and the envelope-verification limit on all cores; prints the ratios.
 */
@Command(
    name = "iot",
    mixinStandardHelpOptions = true,
    description = {
      "Signed payment events from simulated MQTT devices through the whole platform, with the raw broker",
      "round trip and the signature-verification limit measured in the same run as references."
    })
public final class BenchIotCommand implements java.util.concurrent.Callable<Integer> {
  @Option(names = "--devices", description = "connected devices, 2..20000 (default: ${DEFAULT-VALUE})")
  int devices = 10_000;

  @Option(names = "--in-flight", description = "payment events outstanding at once (default: ${DEFAULT-VALUE})")
  int inFlight = 40;

  @Option(names = "--seconds", description = "measured seconds per phase (default: ${DEFAULT-VALUE})")
  double seconds = 15;

  @Option(names = "--warmup", description = "unmeasured warm-up seconds per phase (default: ${DEFAULT-VALUE})")
  double warmup = 45;

  @Option(names = "--raw-devices", description = "raw clients in the broker reference (default: ${DEFAULT-VALUE})")
  int rawDevices = 1_000;

  @Option(names = "--batch-max", description = "most envelopes the inbox admits in one transaction (default: ${DEFAULT-VALUE})")
  int batchMax = 1_000;

  @Option(names = "--json", description = "print one JSON object instead of the report")
  boolean json;

  @Spec CommandSpec spec;

  private static final String MERCHANT = "city-parking";
  private static final long MERCHANT_ACCOUNT = 200;
  private static final long FUNDING_ACCOUNT = 100;

  @Override
  public Integer call() throws Exception {
    if (devices < 2 || devices > 20_000 || inFlight < 1 || inFlight > devices || seconds <= 0 || warmup < 0 || rawDevices < 1) {
      throw new InvalidInputException("bench iot: --devices 2..20000, --in-flight 1..devices, --seconds > 0, --warmup >= 0, --raw-devices >= 1");
    }
    PrintStream progress = System.err;
    Path dir = Files.createTempDirectory("iotpay-bench-iot");
    SecureRandom random = new SecureRandom();
    KeyPair auditKey = AlgorithmSuite.INTERNATIONAL.signature().generateKeyPair(random);
    SystemBusinessClock clock = new SystemBusinessClock(BusinessDayRule.UTC_MIDNIGHT);
    Map<String, Object> report = new LinkedHashMap<>();
    List<DeviceSigner> signers = new ArrayList<>();
    long failed;
    double verifyPerSecond;
    SignatureCeiling.Result ceiling;
    int envelopeBytes;
    boolean balanced;
    IotBooks.Audit audit;
    long approved;
    RiskConfig risk = RiskConfig.defaults().withVelocity(60_000, 100_000, Long.MAX_VALUE / 4);
    try (IotNode node = new IotNode(dir.resolve("bench.db"), clock, AlgorithmSuite.INTERNATIONAL, auditKey, risk, random)) {
      byte[] psk = new byte[32];
      random.nextBytes(psk);
      IotServer.Options options = new IotServer.Options("127.0.0.1", 0, -1, -1, dir, "bench-operator-token-" + "x".repeat(32),
          UserTokens.inMemory(Map.of()), (user, account) -> false, psk, Runtime.getRuntime().availableProcessors(), batchMax);
      List<EnvelopeClient> clients = enrol(node, random, signers, progress);
      writeDeviceFiles(node, signers, dir);
      DeviceRun run;
      List<byte[]> sample = new ArrayList<>();
      try (IotServer server = IotServer.start(node, options, random)) {
        run = runDevices(dir, server, progress);
        for (int i = 0; i < Math.min(2_000, clients.size()); i++) {
          sample.add(clients.get(i).seal(DeviceMessageCodec.encode(BenchIotDevices.parking(-i - 1)), false).bytes());
        }
        envelopeBytes = (int) sample.stream().mapToInt(b -> b.length).average().orElse(0);
      }
      // Measured with the doors closed and the devices gone, so nothing else competes for the cores.
      progress.println("bench iot: envelope-verification limit (all cores, no store)");
      verifyPerSecond = VerifyLimit.perSecond(sample, envelope -> node.envelopes.open(envelope, null),
          Runtime.getRuntime().availableProcessors(), Math.max(2, seconds / 3));
      approved = node.decisions.stats().approved();
      balanced = IotBooks.balanced(node.ledger);
      node.auditLog.checkpointNow();
      audit = IotBooks.verifyAudit(node.database, auditKey, AlgorithmSuite.INTERNATIONAL);
      progress.println("bench iot: signature ceiling (sign and verify, both suites, all cores)");
      ceiling = SignatureCeiling.measure(Runtime.getRuntime().availableProcessors(), 1.5, random);
      progress.printf("bench iot: raw broker round trip (%d clients, %d-byte payloads, no platform)%n", Math.min(rawDevices, signers.size()), envelopeBytes);
      ClosedLoop.Result raw = RawBrokerReference.run(node.identity, signers.subList(0, Math.min(rawDevices, signers.size())),
          envelopeBytes, Math.min(inFlight, Math.min(rawDevices, signers.size())), warmup, seconds, dir.resolve("raw-broker"), random);
      double eventsPerSecond = run.completed() / run.seconds();
      double platformCpuMs = run.platformCpuSeconds() * 1e3 / Math.max(1, run.completed());
      report.put("devices", devices);
      report.put("in_flight", inFlight);
      report.put("events_per_s", round(eventsPerSecond));
      report.put("event_answer_p50_ms", round(run.p50Ms()));
      report.put("event_answer_p99_ms", round(run.p99Ms()));
      report.put("events_failed", run.failed());
      report.put("payments_approved", approved);
      report.put("platform_and_broker_cpu_ms_per_event", round(platformCpuMs));
      double[] steps = run.batcher().msPerBatch();
      report.put("mean_batch", round(run.batcher().meanBatch()));
      report.put("batcher_ms_per_batch_admit", round(steps[0]));
      report.put("batcher_ms_per_batch_decide", round(steps[1]));
      report.put("batcher_ms_per_batch_seal", round(steps[2]));
      report.put("batcher_ms_per_batch_store", round(steps[3]));
      report.put("batcher_busy_share", round(run.batcher().busyNanos() / (run.seconds() * 1e9)));
      report.put("device_process_cpu_ms_per_event", round(run.deviceCpuSeconds() * 1e3 / Math.max(1, run.completed())));
      report.put("platform_capacity_events_per_s_on_these_cores", round(Runtime.getRuntime().availableProcessors() * 1e3 / platformCpuMs));
      report.put("raw_broker_round_trips_per_s", round(raw.perSecond()));
      report.put("raw_broker_p50_ms", round(raw.latencies().quantileMs(0.50)));
      report.put("raw_broker_p99_ms", round(raw.latencies().quantileMs(0.99)));
      // About what the machine could carry with a platform that cost nothing: the CPU of a raw round trip
      // (broker and clients) plus that of the four signature operations, both from this run. The raw round
      // trip has an echo client where the platform's answers are published inside the broker, so this
      // somewhat understates the bound.
      int processors = Runtime.getRuntime().availableProcessors();
      double rawCpuMs = raw.processCpuSeconds() * 1e3 / Math.max(1, raw.completed());
      double signatureCpuMs = processors * 1e3 / ceiling.eventsPerS();
      report.put("raw_broker_cpu_ms_per_round_trip", round(rawCpuMs));
      report.put("signature_cpu_ms_per_event", round(signatureCpuMs));
      report.put("broker_and_signatures_estimate_events_per_s", round(processors * 1e3 / (rawCpuMs + signatureCpuMs)));
      report.put("envelope_verifications_per_s", round(verifyPerSecond));
      report.put("envelope_bytes", envelopeBytes);
      report.put("ecdsa_p256_signs_per_s", round(ceiling.ecdsaSignsPerS()));
      report.put("ecdsa_p256_verifies_per_s", round(ceiling.ecdsaVerifiesPerS()));
      report.put("sm2_signs_per_s", round(ceiling.sm2SignsPerS()));
      report.put("sm2_verifies_per_s", round(ceiling.sm2VerifiesPerS()));
      report.put("signature_ceiling_events_per_s", round(ceiling.eventsPerS()));
      // The device's own signing cost, apart from the platform's CPU: on its chip, after the measured phase.
      for (AlgorithmSuite suite : AlgorithmSuite.values()) {
        ChipSigningCost chip = ChipSigningCost.measure(suite, envelopeBytes, 21, random);
        String key = "chip_" + suite.name().toLowerCase(java.util.Locale.ROOT);
        report.put(key + "_apdus_per_message", round(chip.apdusPerMessage()));
        report.put(key + "_modelled_card_ms_per_signature", round(chip.modelledCardMs()));
        report.put(key + "_jcardsim_median_ms_per_message", round(chip.jcardsimMedianMs()));
      }
      report.put("ratio_events_to_signature_ceiling", round(eventsPerSecond / ceiling.eventsPerS()));
      report.put("ratio_events_to_raw_broker", round(eventsPerSecond / raw.perSecond()));
      report.put("ratio_events_to_verification_limit", round(eventsPerSecond / verifyPerSecond));
      report.put("ratio_events_to_broker_and_signatures_estimate", round(eventsPerSecond * (rawCpuMs + signatureCpuMs) / (processors * 1e3)));
      report.put("books_balanced", balanced);
      report.put("audit_verified", audit.verified());
      report.put("load_average", round(java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
      report.put("processors", processors);
      failed = run.failed();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().writeValueAsString(report));
    } else {
      out.printf("iotpay bench iot: %s devices over MQTT (embedded HiveMQ CE), %s in flight, %s processors, load %s%n",
          report.get("devices"), report.get("in_flight"), report.get("processors"), report.get("load_average"));
      out.printf("  signed payment events end to end: %s/s, event->answer p50 %s ms, p99 %s ms (%s failed, %s approved in all)%n",
          report.get("events_per_s"), report.get("event_answer_p50_ms"), report.get("event_answer_p99_ms"), report.get("events_failed"),
          report.get("payments_approved"));
      out.printf("  CPU per event: platform and broker %s ms (so these cores alone could carry about %s events/s);"
          + " the device process %s ms; %s envelopes per inbox batch%n", report.get("platform_and_broker_cpu_ms_per_event"),
          report.get("platform_capacity_events_per_s_on_these_cores"), report.get("device_process_cpu_ms_per_event"), report.get("mean_batch"));
      out.printf("  inbox batcher, ms per batch: admit %s, decide %s, seal %s, store %s (busy %s of the time)%n",
          report.get("batcher_ms_per_batch_admit"), report.get("batcher_ms_per_batch_decide"), report.get("batcher_ms_per_batch_seal"),
          report.get("batcher_ms_per_batch_store"), report.get("batcher_busy_share"));
      out.printf("  raw broker round trip, same %s-byte messages, no platform: %s/s, p50 %s ms, p99 %s ms%n",
          report.get("envelope_bytes"), report.get("raw_broker_round_trips_per_s"), report.get("raw_broker_p50_ms"), report.get("raw_broker_p99_ms"));
      out.printf("  envelope verification limit (parse, look up, verify; all cores): %s/s%n", report.get("envelope_verifications_per_s"));
      out.printf("  signature ceiling (each event: device signs, platform verifies, platform signs, device verifies; all cores,"
          + " nothing else): %s events/s (ECDSA P-256 %s signs/s, %s verifies/s; SM2 %s signs/s, %s verifies/s)%n",
          report.get("signature_ceiling_events_per_s"), report.get("ecdsa_p256_signs_per_s"), report.get("ecdsa_p256_verifies_per_s"),
          report.get("sm2_signs_per_s"), report.get("sm2_verifies_per_s"));
      out.printf("  broker round trip and signatures alone (CPU per event: raw round trip %s ms + signatures %s ms, on %s cores):"
          + " about %s events/s with a platform that cost nothing%n", report.get("raw_broker_cpu_ms_per_round_trip"),
          report.get("signature_cpu_ms_per_event"), report.get("processors"), report.get("broker_and_signatures_estimate_events_per_s"));
      out.printf("  ratios: events / raw broker = %s; events / verification limit = %s; events / signature ceiling = %s;"
          + " events / broker-and-signatures estimate = %s%n",
          report.get("ratio_events_to_raw_broker"), report.get("ratio_events_to_verification_limit"),
          report.get("ratio_events_to_signature_ceiling"), report.get("ratio_events_to_broker_and_signatures_estimate"));
      out.printf("  device chip per message (SIGN ENVELOPE, not the platform's CPU): INTERNATIONAL %s APDUs, modelled card time %s ms"
              + " (ECDSA P-256, NXP JCOP4 J3R180, JCAlgTest), jCardSim %s ms; NATIONAL %s APDUs, modelled %s ms (the ECDSA figure"
              + " standing in for SM2), jCardSim %s ms%n",
          report.get("chip_international_apdus_per_message"), report.get("chip_international_modelled_card_ms_per_signature"),
          report.get("chip_international_jcardsim_median_ms_per_message"), report.get("chip_national_apdus_per_message"),
          report.get("chip_national_modelled_card_ms_per_signature"), report.get("chip_national_jcardsim_median_ms_per_message"));
      out.printf("  books balanced: %s; audit verified: %s%n", report.get("books_balanced"), report.get("audit_verified"));
    }
    out.flush();
    return balanced && audit.verified() && failed == 0 ? 0 : 1;
  }

  private List<EnvelopeClient> enrol(IotNode node, SecureRandom random, List<DeviceSigner> signers, PrintStream progress) throws Exception {
    node.ledger.createAccounts(List.of(new Account(FUNDING_ACCOUNT, 1, CurrencyUnit.CNY, AccountFlags.NONE),
        new Account(MERCHANT_ACCOUNT, 1, CurrencyUnit.CNY, AccountFlags.NONE))).get(60, TimeUnit.SECONDS);
    node.merchants.put(new Merchant(MERCHANT, "City Parking", "7523", MERCHANT_ACCOUNT, null));
    List<EnvelopeClient> clients = new ArrayList<>();
    Money big = Money.ofMinor(1_000_000_000L, CurrencyUnit.CNY);
    MandateTerms terms = new MandateTerms(Money.ofMinor(10_000, CurrencyUnit.CNY), big, big, Money.ofMinor(10_000, CurrencyUnit.CNY),
        Set.of(MERCHANT), Set.of());
    List<Account> accounts = new ArrayList<>();
    List<Transfer> funding = new ArrayList<>();
    for (int i = 0; i < devices; i++) {
      accounts.add(new Account(1_000 + i, 1, CurrencyUnit.CNY, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS));
      funding.add(Transfer.single(1 + i, FUNDING_ACCOUNT, 1_000 + i, 100_000_000L));
    }
    for (int from = 0; from < devices; from += 1_000) {
      node.ledger.createAccounts(accounts.subList(from, Math.min(devices, from + 1_000))).get(60, TimeUnit.SECONDS);
      node.ledger.submit(funding.subList(from, Math.min(devices, from + 1_000))).get(60, TimeUnit.SECONDS);
    }
    for (int i = 0; i < devices; i++) {
      AlgorithmSuite suite = i % 2 == 0 ? AlgorithmSuite.INTERNATIONAL : AlgorithmSuite.NATIONAL;
      String id = "car-" + i;
      SoftwareDeviceSigner signer = SoftwareDeviceSigner.generate(id, suite, random);
      node.identity.registerFromCsr(suite, DeviceCsr.create(signer), node.clock.now());
      node.mandates.bind("user-" + i, DeviceId.of(id), 1_000 + i, terms);
      var answerKey = node.answerKeys.get(suite);
      clients.add(new EnvelopeClient(signer, new InMemoryMessageCounter(0),
          new PlatformTrust(suite, answerKey.keyId(), answerKey.keys().getPublic()), null, random));
      signers.add(signer);
      if ((i + 1) % 2_000 == 0) {
        progress.printf("bench iot: %d devices registered from their CSRs (both suites)%n", i + 1);
      }
    }
    return clients;
  }

  /** What the device process measured, and the platform process's CPU over the same measured phase. */
  private record DeviceRun(long completed, long failed, double seconds, double p50Ms, double p99Ms, double deviceCpuSeconds,
      double platformCpuSeconds, InboxPipeline.Stats batcher) {}

  /** The devices' keys and the platform's answer keys, for the device process. */
  private static void writeDeviceFiles(IotNode node, List<DeviceSigner> signers, Path dir) throws Exception {
    List<String> lines = new ArrayList<>(signers.size());
    for (DeviceSigner signer : signers) {
      KeyPair keys = ((SoftwareDeviceSigner) signer).keyPair();
      lines.add(signer.deviceId() + " " + signer.suite().name() + " " + BenchIotDevices.encode(Pem.write(keys.getPrivate())) + " "
          + BenchIotDevices.encode(Pem.write(keys.getPublic())));
    }
    Files.write(dir.resolve(BenchIotDevices.DEVICES_FILE), lines);
    List<String> trust = new ArrayList<>();
    node.answerKeys.forEach((suite, key) -> trust.add(suite.name() + " " + key.keyId() + " " + BenchIotDevices.encode(Pem.write(key.keys().getPublic()))));
    Files.write(dir.resolve(BenchIotDevices.TRUST_FILE), trust);
  }

  /**
   * Runs the devices in a process of their own (one process cannot hold both ends of 10,000 connections
   * within this machine's 20,000-file limit, and devices are not the platform anyway) and reads this
   * process's CPU over exactly the measured phase.
   */
  private DeviceRun runDevices(Path dir, IotServer server, PrintStream progress) throws Exception {
    String javaCommand = ProcessHandle.current().info().command().orElse("java");
    Process process = new ProcessBuilder(javaCommand, "-Xmx4g", "-cp", System.getProperty("java.class.path"), BenchIotDevices.class.getName(),
        dir.toString(), server.host(), Integer.toString(server.broker.port()), Integer.toString(inFlight), Double.toString(warmup),
        Double.toString(seconds)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    long cpuStart = 0;
    long cpuEnd = 0;
    InboxPipeline.Stats batchesStart = null;
    InboxPipeline.Stats batchesEnd = null;
    Map<?, ?> result = null;
    try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        switch (line) {
          case "MEASURE_START" -> {
            cpuStart = ClosedLoop.processCpuNanos();
            batchesStart = server.pipeline.stats();
          }
          case "MEASURE_END" -> {
            cpuEnd = ClosedLoop.processCpuNanos();
            batchesEnd = server.pipeline.stats();
          }
          default -> {
            if (line.startsWith("{")) {
              result = new ObjectMapper().readValue(line, Map.class);
            } else {
              progress.println(line);
            }
          }
        }
      }
    }
    int status = process.waitFor();
    if (status != 0 || result == null || cpuEnd == 0 || batchesStart == null || batchesEnd == null) {
      throw new IllegalStateException("the device process failed (exit " + status + "); see its messages above");
    }
    return new DeviceRun(((Number) result.get("completed")).longValue(), ((Number) result.get("failed")).longValue(),
        ((Number) result.get("seconds")).doubleValue(), ((Number) result.get("p50_ms")).doubleValue(),
        ((Number) result.get("p99_ms")).doubleValue(), ((Number) result.get("device_process_cpu_s")).doubleValue(),
        (cpuEnd - cpuStart) / 1e9, batchesEnd.since(batchesStart));
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
