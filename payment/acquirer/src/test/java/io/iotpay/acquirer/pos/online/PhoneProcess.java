package io.iotpay.acquirer.pos.online;

import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.money.Money;
import io.iotpay.phone.pos.Enroller;
import io.iotpay.phone.pos.MonitoringService;
import io.iotpay.phone.pos.PosSdk;
import io.iotpay.phone.pos.SecureElement;
import io.iotpay.protocol.iso8583.Iso8583Client;
import io.iotpay.protocol.iso8583.LinkSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.locks.LockSupport;

/**
 * The merchant app as a process of its own, for {@link PhoneKillTest}: enrols its SE (the parent
 * enrols the CSR it prints and answers the terminal id and certificate), then charges the world's
 * card once; after the 0110 arrived it prints {@code KILLPOINT} and waits to be killed.
 * Arguments: suite, SDK directory, the acquirer's terminal port, the issuer's IMK (hex), amount; or,
 * for a consumer-presented QR payment instead of a tap ({@link PhoneQrKillTest}), {@code qr=CODE} in
 * place of the IMK.
 */
public final class PhoneProcess {
  private PhoneProcess() {}

  public static void main(String[] args) throws Exception {
    AlgorithmSuite suite = AlgorithmSuite.valueOf(args[0]);
    Path dir = Path.of(args[1]);
    int port = Integer.parseInt(args[2]);
    String qrCode = args[3].startsWith("qr=") ? args[3].substring(3) : null;
    long amount = Long.parseLong(args[4]);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
    SecureElement se = PhoneParts.secureElement(suite);
    Enroller.Enrolled enrolled = PosSdk.enrol(dir, suite, se, csr -> {
      System.out.println("CSR " + Hex.encode(csr));
      System.out.flush();
      try {
        String[] answer = in.readLine().split(" ");
        return new Enroller.Enrolled(answer[1], Hex.decode(answer[2]));
      } catch (java.io.IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    Iso8583Client link = new Iso8583Client(OnlineWorld.loopback(port),
        LinkSettings.defaults(OnlineWorld.INSTITUTION, enrolled.terminalId()).withRequestTimeoutMs(20_000)
            .withEchoIntervalMs(0), OnlineWorld.zoneKeys(suite, 3), OnlineWorld.WIRE);
    PosSdk sdk = PosSdk.open(PhoneWorld.options(dir), se, link, approving(), PhoneWorld.genuine(), Clock.systemUTC(),
        authoriser -> request -> {
          authoriser.authorise(request);
          System.out.println("KILLPOINT");
          System.out.flush();
          while (true) {
            LockSupport.park(); // the 0110 is here; the card never sees it: kill me now
          }
        });
    if (qrCode != null) {
      sdk.chargeConsumerCode(qrCode, Money.ofMinor(amount, CurrencyUnit.CNY));
    } else {
      PhoneParts.Chip card = PhoneParts.card(suite, SecretKeyBytes.fromHex(args[3]), OnlineWorld.PAN);
      sdk.charge(Money.ofMinor(amount, CurrencyUnit.CNY), card.channel());
    }
    System.out.println("NOT KILLED");
  }

  /**
   * Starts this class in a child JVM for {@code payment} (the IMK in hex, or {@code qr=CODE}),
   * enrols the CSR it prints with {@code w}'s merchant, and returns the child once it printed
   * {@code KILLPOINT} (the 0110 is in the child; the caller kills it).
   */
  static Process startUntilKillpoint(OnlineWorld w, Path phoneDir, Path stderr, String payment, long amount)
      throws Exception {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), PhoneProcess.class.getName(), w.suite.name(), phoneDir.toString(),
        String.valueOf(w.host.terminalPort()), payment, String.valueOf(amount)).redirectError(stderr.toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
    java.io.Writer in = new java.io.OutputStreamWriter(child.getOutputStream(), StandardCharsets.US_ASCII);
    String killpoint;
    try {
      killpoint = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("CSR ")) {
              var e = w.registry.service().enrol(w.merchant, w.suite, Hex.decode(line.substring(4)));
              in.write("ENROLLED " + e.terminal().id().value() + " " + Hex.encode(e.certificate().getEncoded()) + "\n");
              in.flush();
            } else if (line.equals("KILLPOINT")) {
              return line;
            }
          }
          return "child ended";
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }).get(120, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception | Error e) {
      child.destroyForcibly();
      throw e;
    }
    if (!"KILLPOINT".equals(killpoint)) {
      child.destroyForcibly();
      throw new AssertionError("the child never reached its kill point: " + killpoint);
    }
    return child;
  }

  /** An SDK opened in this JVM on the killed child's directory (its recovery runs). */
  static PosSdk reopen(OnlineWorld w, Path phoneDir) throws java.io.IOException {
    return PosSdk.open(PhoneWorld.options(phoneDir), PhoneParts.secureElement(w.suite),
        new Iso8583Client(OnlineWorld.loopback(w.host.terminalPort()), LinkSettings.defaults(OnlineWorld.INSTITUTION,
            java.nio.file.Files.readAllLines(phoneDir.resolve("enrolment")).get(1)).withRequestTimeoutMs(20_000)
            .withEchoIntervalMs(0), w.zoneKeys(3), OnlineWorld.WIRE),
        approving(), PhoneWorld.genuine(), Clock.systemUTC());
  }

  /** A monitoring service that approves every token (the host in this test has no risk check). */
  static MonitoringService approving() {
    SecureRandom random = new SecureRandom();
    return new MonitoringService() {
      @Override
      public byte[] nonce(String terminalId) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        return nonce;
      }

      @Override
      public Verdict attest(String terminalId, byte[] token) {
        return new Verdict("APPROVE", "OK", "no risk check in this world");
      }
    };
  }
}
