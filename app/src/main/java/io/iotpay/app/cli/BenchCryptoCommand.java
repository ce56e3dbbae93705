package io.iotpay.app.cli;

import io.iotpay.bench.crypto.CryptoBench;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iotpay bench crypto}: single-thread throughput of the suites' MACs, digests and
 * signatures, each national figure beside its international reference. Progress goes to stderr,
 * the table to stdout. Meant to be hung under an {@code iotpay bench} parent command.
 */
@Command(
    name = "crypto",
    mixinStandardHelpOptions = true,
    description = {
      "Operations per second per core: SM4-CMAC, AES-CMAC, 3DES retail MAC, SM3, SHA-256,",
      "SM2 and ECDSA P-256 sign/verify, on 64-byte messages. About a minute; --quick: a few seconds."
    })
public final class BenchCryptoCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = "--quick", description = "0.2 s warm-up and 3 × 0.2 s per operation instead of 1 s and 5 × 1 s")
  boolean quick;

  @Override
  public void run() {
    CryptoBench.Settings settings = quick ? CryptoBench.Settings.quick() : CryptoBench.Settings.standard();
    PrintWriter err = spec.commandLine().getErr();
    err.println("iotpay bench crypto: measuring 9 operations" + (quick ? " (quick)" : "") + "...");
    err.flush();
    List<CryptoBench.Result> results = new CryptoBench().run(settings, line -> {
      err.println(line);
      err.flush();
    });
    PrintWriter out = spec.commandLine().getOut();
    out.print(CryptoBench.format(results, settings));
    out.flush();
  }
}
