package io.iotpay.app.cli;

import io.iotpay.bench.BenchFiles;
import io.iotpay.bench.wallet.DayEndFigures;
import io.iotpay.bench.wallet.PurchaseFigures;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iotpay bench wallet} (docs/bench-wallet.md): the offline purchase's APDUs, bytes, modelled
 * air and card time and POS CPU, both suites, plain and with a rating written at the same tap; then
 * the issuer's day end of many POSes. Exits 1 when
 * a purchase needs more APDUs than the design bound or a day end leaves a debit uncleared.
 */
@Command(
    name = "wallet",
    mixinStandardHelpOptions = true,
    description = {
      "Offline wallet purchase (real applets in jCardSim): APDUs, bytes, modelled air time (ISO 14443-A),",
      "modelled card time (published SE figures), POS CPU; target <= 6 APDUs, <= 400 ms (aim <= 250 ms).",
      "Day end: POSes x purchases cleared, cards checked, list built and signed; target 1,000 x 500 <= 10 s."
    })
public final class BenchWalletCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--purchases", description = "purchases per run for the tap figures, 5..99: one card, offline count max 100 (default ${DEFAULT-VALUE})")
  int purchases = 40;

  @Option(names = "--runs", description = "runs of the tap figures per suite, 1..20; the POS CPU is the median of run medians (default ${DEFAULT-VALUE})")
  int runs = 3;

  @Option(names = "--pos", description = "POSes at day end, 1..5000 (default ${DEFAULT-VALUE})")
  int pos = 1_000;

  @Option(names = "--per-pos", description = "purchases per POS at day end, 1..5000 (default ${DEFAULT-VALUE})")
  int perPos = 500;

  @Option(names = "--cards", description = "cards at day end, 1..1000000 (default ${DEFAULT-VALUE})")
  int cards = 5_000;

  @Option(names = "--suite", description = "suite of the day end: INTERNATIONAL or NATIONAL (default: both)")
  AlgorithmSuite suite;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (purchases < 5 || purchases > 99 || runs < 1 || runs > 20 || pos < 1 || pos > 5_000 || perPos < 1
        || perPos > 5_000 || cards < 1 || cards > 1_000_000) {
      spec.commandLine().getErr().println("iotpay: an option is out of range (see --help)");
      return 2;
    }
    Path dir = BenchFiles.tempDir("iotpay-bench-wallet", "wallet bench");
    boolean ok = true;
    try {
      out.println("wallet offline purchase (per tap; card time modelled: sign 60 ms, verify 85 ms, Infineon OPTIGA Trust Charge;"
          + " TAC and each rating MAC 10.3 ms 3DES / 10.2 ms AES standing in for SM4, JCAlgTest JCOP4)");
      for (AlgorithmSuite s : AlgorithmSuite.values()) {
        double[] cpu = new double[runs];
        PurchaseFigures.Result r = null;
        for (int i = 0; i < runs; i++) {
          r = PurchaseFigures.run(s, purchases, java.nio.file.Files.createDirectories(dir.resolve("tap-" + s + "-" + i)));
          cpu[i] = r.posCpuMedianMs();
        }
        Arrays.sort(cpu);
        ok &= r.apdus() <= io.iotpay.terminal.wallet.WalletKernel.WALLET_APDUS_MAX;
        out.printf("  %-13s APDUs %d, bytes %d, air %.1f ms, card %.0f ms, in the field %.0f ms (target 400, aim 250),"
            + " PSAM after the tap %.0f ms, POS CPU median %.2f ms (median of %d runs x %d)%n", s, r.apdus(), r.bytes(),
            r.airMs(), r.cardMs(), r.inFieldMs(), r.psamAfterMs(), cpu[runs / 2], runs, purchases);
        r.exchanges().forEach(line -> out.println("      " + line));
        PurchaseFigures.Result rated = PurchaseFigures.run(s, purchases, java.nio.file.Files.createDirectories(
            dir.resolve("tap-rated-" + s)), true);
        ok &= rated.apdus() <= io.iotpay.terminal.wallet.WalletKernel.WALLET_APDUS_MAX;
        out.printf("  %-13s with a rating written: APDUs %d, bytes %d, air %.1f ms, card %.0f ms, in the field %.0f ms"
            + " (target 400), POS CPU median %.2f ms (1 run x %d)%n", s, rated.apdus(), rated.bytes(), rated.airMs(),
            rated.cardMs(), rated.inFieldMs(), rated.posCpuMedianMs(), purchases);
        rated.exchanges().stream().filter(line -> line.startsWith("INS 5C")).forEach(line -> out.println("      " + line));
        out.flush();
      }
      for (AlgorithmSuite s : suite == null ? AlgorithmSuite.values() : new AlgorithmSuite[] {suite}) {
        DayEndFigures.Result d = DayEndFigures.run(s, pos, perPos, cards, java.nio.file.Files.createDirectories(
            dir.resolve("day-" + s)));
        ok &= d.cleared() == d.purchases() && d.mismatches() == 0;
        out.printf("  day end %-13s %d POSes x %d = %d purchases over %d cards: cleared %d, mismatches %d;"
            + " issuer day end %.2f s (target 10 s); POS files written+signed %.2f s; generation %.1f s (not timed);"
            + " reference: one card-signature verify %.0f us (day end = %.3f x purchases x verify),"
            + " one TAC verify %.1f us (day end = %.1f x purchases x TAC)%n", s, d.pos(),
            d.purchasesPerPos(), d.purchases(), d.cards(), d.cleared(), d.mismatches(), d.dayEndMs() / 1e3,
            d.posFilesMs() / 1e3, d.generateMs() / 1e3, d.referenceVerifyUs(),
            d.dayEndMs() * 1e3 / (d.purchases() * d.referenceVerifyUs()), d.referenceTacUs(),
            d.dayEndMs() * 1e3 / (d.purchases() * d.referenceTacUs()));
        out.flush();
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      BenchFiles.deleteTree(dir);
    }
    return ok ? 0 : 1;
  }
}
