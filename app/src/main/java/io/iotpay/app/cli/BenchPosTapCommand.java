package io.iotpay.app.cli;

import io.iotpay.bench.pos.PosTapBench;
import io.iotpay.foundation.card.CardGoneException;
import io.iotpay.foundation.card.PcscReaders;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iotpay bench pos-tap}: one online contactless tap at the POS kernel against the real EMV
 * applet in jCardSim, with and without fDDA, both suites: command APDUs, bytes each way, modelled air
 * and card time, the kernel's CPU and the time in the field with an assumed network round trip
 * (docs/pos-kernel.md).
 *
 * <p>{@code --reader NAME} taps the card in that PC/SC reader instead (the bench's card of {@code
 * --suite}, {@link PosTapBench#benchCard}; no fDDA); an unknown name is refused with the readers
 * present listed (exit 2), a machine without PC/SC or without the card in the reader ends with exit 3.
 */
@Command(
    name = "pos-tap",
    mixinStandardHelpOptions = true,
    description = {
      "Contactless POS tap (online, with and without fDDA), both suites: APDUs, bytes, modelled air and",
      "card time, kernel CPU, time in the field with an assumed network round trip; target <= 8 APDUs, <= 500 ms.",
      "With --reader NAME: the card in that PC/SC reader (the bench's card of --suite, no fDDA)."
    })
public final class BenchPosTapCommand implements Callable<Integer> {
  /** Exit status when PC/SC is missing, or no card answers in the reader. */
  static final int EXIT_NO_READER = 3;
  /** How long a reader run waits for the card in the reader. */
  static final long CARD_WAIT_MS = 10_000;

  @Spec CommandSpec spec;

  @Option(names = "--taps", description = "measured taps per row (default ${DEFAULT-VALUE})")
  int taps = PosTapBench.Settings.quick().taps();

  @Option(names = "--warmup", description = "unmeasured warm-up taps per row (default ${DEFAULT-VALUE})")
  int warmup = PosTapBench.Settings.quick().warmupTaps();

  @Option(names = "--rtt-ms", description = "assumed network round trip to the issuer, ms (default ${DEFAULT-VALUE})")
  double rttMs = PosTapBench.Settings.quick().networkRttMs();

  @Option(names = "--reader", paramLabel = "NAME",
      description = "tap the card in this PC/SC reader (as pcscd names it) instead of jCardSim")
  String reader;

  @Option(names = "--suite", description = "with --reader: the suite of the card in the reader (default ${DEFAULT-VALUE})")
  AlgorithmSuite suite = AlgorithmSuite.INTERNATIONAL;

  @Override
  public Integer call() {
    PosTapBench.Settings settings = new PosTapBench.Settings(warmup, taps, rttMs);
    PrintWriter out = spec.commandLine().getOut();
    if (reader == null) {
      out.print(PosTapBench.format(new PosTapBench().run(settings), settings));
      out.flush();
      return 0;
    }
    PosTapBench.Result result;
    try (PcscReaders.Connection connection = PcscReaders.open(reader, CARD_WAIT_MS)) {
      result = new PosTapBench().runThroughReader(settings, suite, connection.channel());
    } catch (CardGoneException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("iotpay: " + e.getMessage());
      err.flush();
      return EXIT_NO_READER;
    }
    out.print(PosTapBench.format(List.of(result), settings, reader));
    out.flush();
    return 0;
  }
}
