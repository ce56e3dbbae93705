package io.iotpay.bench.crypto;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.MacAlgorithm;
import io.iotpay.foundation.crypto.MacPadding;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.crypto.SignatureAlgorithm;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.bouncycastle.crypto.Digest;

/**
 * Single-threaded throughput of the suites' primitives, so the figures are operations per second
 * per core. An in-process harness (no JMH fork, so the app jar's class path is all it needs):
 * each operation warms up, then runs several timed iterations; the report gives the median and
 * the min/max of the iterations. Engines, MAC functions, signers and verifiers are initialised
 * once and reused, as a server would.
 */
public final class CryptoBench {
  /** Each national operation is printed beside its international counterpart. */
  private static final String[][] PAIRS = {
    {"SM4-CMAC", "AES-CMAC"}, {"SM3", "SHA-256"}, {"SM2 sign", "ECDSA P-256 sign"}, {"SM2 verify", "ECDSA P-256 verify"}
  };

  /**
   * How long to measure.
   *
   * @param warmup untimed running before the measured iterations, per operation
   * @param iterations number of timed iterations, at least 1
   * @param iteration length of one timed iteration
   * @param messageBytes size of the message MACed, hashed or signed
   */
  public record Settings(Duration warmup, int iterations, Duration iteration, int messageBytes) {
    public Settings {
      Assert.that(iterations >= 1 && iterations <= 100, "iterations out of 1..100: {}", iterations);
      Assert.that(messageBytes >= 1 && messageBytes <= 1 << 20, "messageBytes out of range: {}", messageBytes);
      Assert.that(!warmup.isNegative() && !iteration.isNegative() && !iteration.isZero(), "bad durations");
    }

    /** About 60 seconds for the nine operations: 1 s warm-up, 5 × 1 s measured, 64-byte messages. */
    public static Settings standard() {
      return new Settings(Duration.ofSeconds(1), 5, Duration.ofSeconds(1), 64);
    }

    /** A few seconds in all: 0.2 s warm-up, 3 × 0.2 s measured. */
    public static Settings quick() {
      return new Settings(Duration.ofMillis(200), 3, Duration.ofMillis(200), 64);
    }
  }

  /** One operation's figures, in operations per second. */
  public record Result(String operation, double medianOpsPerSecond, double minOpsPerSecond, double maxOpsPerSecond) {}

  private record Operation(String name, IntSupplier body) {}

  /** Accumulates a byte of every result so the JIT cannot drop the work. */
  private int sink;

  /**
   * Runs every operation and returns its figures in a fixed order.
   *
   * @param progress receives one line per operation as it finishes; never null
   */
  public List<Result> run(Settings settings, Consumer<String> progress) {
    List<Result> results = new ArrayList<>();
    for (Operation operation : operations(settings.messageBytes())) {
      Result result = measure(operation, settings);
      progress.accept(String.format("  %-20s %,12.0f ops/s", result.operation(), result.medianOpsPerSecond()));
      results.add(result);
    }
    return results;
  }

  /** A value folded from every result computed, published so the work stays observable. */
  public int checksum() {
    return sink;
  }

  /** The results as a table with each national figure beside its international reference. */
  public static String format(List<Result> results, Settings settings) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(
        "crypto bench: one thread, %d-byte messages, warm-up %d ms, %d × %d ms measured%n",
        settings.messageBytes(), settings.warmup().toMillis(), settings.iterations(), settings.iteration().toMillis()));
    out.append(String.format("%-20s %14s %14s %14s%n", "operation", "median ops/s", "min ops/s", "max ops/s"));
    for (Result result : results) {
      out.append(String.format("%-20s %,14.0f %,14.0f %,14.0f%n",
          result.operation(), result.medianOpsPerSecond(), result.minOpsPerSecond(), result.maxOpsPerSecond()));
    }
    out.append(String.format("%nNATIONAL vs INTERNATIONAL reference (median ratio):%n"));
    for (String[] pair : PAIRS) {
      Result national = find(results, pair[0]);
      Result reference = find(results, pair[1]);
      out.append(String.format("  %-20s %6.2f × %s%n",
          pair[0], national.medianOpsPerSecond() / reference.medianOpsPerSecond(), pair[1]));
    }
    return out.toString();
  }

  private static Result find(List<Result> results, String operation) {
    for (Result result : results) {
      if (result.operation().equals(operation)) {
        return result;
      }
    }
    throw Assert.unreachable("no result for {}", operation);
  }

  private Result measure(Operation operation, Settings settings) {
    long batch = calibrateBatch(operation, settings.warmup());
    double[] opsPerSecond = new double[settings.iterations()];
    long iterationNanos = settings.iteration().toNanos();
    for (int i = 0; i < opsPerSecond.length; i++) {
      long operations = 0;
      long start = System.nanoTime();
      long elapsed;
      do {
        for (long b = 0; b < batch; b++) {
          sink += operation.body().getAsInt();
        }
        operations += batch;
        elapsed = System.nanoTime() - start;
      } while (elapsed < iterationNanos);
      opsPerSecond[i] = operations * 1e9 / elapsed;
    }
    double[] sorted = opsPerSecond.clone();
    Arrays.sort(sorted);
    double median = sorted.length % 2 == 1
        ? sorted[sorted.length / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    return new Result(operation.name(), median, sorted[0], sorted[sorted.length - 1]);
  }

  /** Warms up, and picks a batch that takes about a millisecond so clock reads cost little. */
  private long calibrateBatch(Operation operation, Duration warmup) {
    long warmupNanos = Math.max(warmup.toNanos(), 1_000_000);
    long operations = 0;
    long start = System.nanoTime();
    long elapsed;
    do {
      sink += operation.body().getAsInt();
      operations++;
      elapsed = System.nanoTime() - start;
    } while (elapsed < warmupNanos);
    double nanosPerOperation = (double) elapsed / operations;
    return Math.max(1, (long) (1_000_000 / nanosPerOperation));
  }

  private static List<Operation> operations(int messageBytes) {
    SecureRandom random = new SecureRandom();
    byte[] message = new byte[messageBytes];
    random.nextBytes(message);
    SecretKeyBytes key = new SecretKeyBytes(randomBytes(random, 16));
    var sm4Cmac = MacAlgorithm.SM4_CMAC.newFunction(key, null);
    var aesCmac = MacAlgorithm.AES_CMAC.newFunction(key, null);
    var retail = MacAlgorithm.ISO9797_1_M3.newFunction(key, MacPadding.METHOD_2);
    Digest sm3 = AlgorithmSuite.NATIONAL.digest().newBcDigest();
    Digest sha256 = AlgorithmSuite.INTERNATIONAL.digest().newBcDigest();
    byte[] digestOut = new byte[32];
    List<Operation> operations = new ArrayList<>();
    operations.add(new Operation("SM4-CMAC", () -> sm4Cmac.mac(message)[0]));
    operations.add(new Operation("AES-CMAC", () -> aesCmac.mac(message)[0]));
    operations.add(new Operation("3DES retail MAC", () -> retail.mac(message)[0]));
    operations.add(new Operation("SM3", () -> digest(sm3, message, digestOut)));
    operations.add(new Operation("SHA-256", () -> digest(sha256, message, digestOut)));
    addSignatures(operations, "SM2", SignatureAlgorithm.SM2_SM3, message, random);
    addSignatures(operations, "ECDSA P-256", SignatureAlgorithm.ECDSA_P256_SHA256, message, random);
    return operations;
  }

  private static void addSignatures(
      List<Operation> operations, String name, SignatureAlgorithm algorithm, byte[] message, SecureRandom random) {
    KeyPair keys = algorithm.generateKeyPair(random);
    var signer = algorithm.newSigner(keys.getPrivate());
    var verifier = algorithm.newVerifier(keys.getPublic());
    byte[] signature = signer.sign(message);
    Assert.that(verifier.verify(message, signature), "{} signature did not verify before the bench", name);
    operations.add(new Operation(name + " sign", () -> signer.sign(message)[4]));
    operations.add(new Operation(name + " verify", () -> verifier.verify(message, signature) ? 1 : 0));
  }

  private static int digest(Digest digest, byte[] message, byte[] out) {
    digest.update(message, 0, message.length);
    digest.doFinal(out, 0);
    return out[0];
  }

  private static byte[] randomBytes(SecureRandom random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }
}
