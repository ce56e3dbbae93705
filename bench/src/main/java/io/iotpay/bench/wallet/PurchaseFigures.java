package io.iotpay.bench.wallet;

import io.iotpay.bench.pos.CardTimeModel;
import io.iotpay.bench.tap.AirTimeModel;
import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.codec.ResponseApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.terminal.wallet.OutcomeList;
import io.iotpay.terminal.wallet.RatingConfirmationLog;
import io.iotpay.terminal.wallet.RatingSplitPolicy;
import io.iotpay.terminal.wallet.WalletJournal;
import io.iotpay.terminal.wallet.WalletKernel;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The offline purchase measured on the real applets in jCardSim (docs/bench-wallet.md §1): wallet
 * APDUs and bytes per tap, air time from {@link AirTimeModel} (ISO 14443-A 106 kbit/s), card time
 * modelled from a published secure-element figure (the TAC and the rating MACs from JCAlgTest's),
 * and the POS's CPU per purchase with the simulators' own CPU taken out; plain taps, or taps that
 * also write a rating.
 */
public final class PurchaseFigures {
  /**
   * Infineon OPTIGA Trust Charge, documents/Crypto_Performance.md (github.com/Infineon/optiga-trust-charge),
   * NIST P-256, hash excluded: "Calculate Signature ECDSA ~60 ms", "Verify signature ECDSA ~85 ms".
   * SM2 is modelled at the same figures (no SE vendor publishes one; Martinkauppi, He and Ilie, BTH,
   * measure SM2 and ECDSA at similar cost).
   */
  public static final double SE_SIGN_MS = 60;
  public static final double SE_VERIFY_MS = 85;

  /** One suite's figures. */
  public record Result(AlgorithmSuite suite, int apdus, int bytes, double airMs, double cardMs, double inFieldMs,
      double psamAfterMs, double posCpuMedianMs, List<String> exchanges) {}

  private static final byte[] CARD_ID = {0x62, 0x10, 0, 0, 0, 0, 0, 1};

  private PurchaseFigures() {}

  /**
   * WRITE RATING's card time: the issuer's MAC checked and the confirmation MACed, each a session key +
   * MAC init + MAC sign as the TAC ({@link CardTimeModel#generateAcMs}).
   */
  static final int RATING_MACS = 2;

  /** {@code purchases} purchases on one card at one POS; figures of the last tap, CPU median of all. */
  public static Result run(AlgorithmSuite suite, int purchases, Path dir) {
    return run(suite, purchases, dir, false);
  }

  /**
   * As {@link #run(AlgorithmSuite, int, Path)}; with {@code rating} every tap also writes a new
   * night's rating (WRITE RATING before DEBIT, its confirmation logged with fsync), the rating MACed
   * before the tap, outside what is measured.
   */
  public static Result run(AlgorithmSuite suite, int purchases, Path dir, boolean rating) {
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    WalletIssuance issuance = new WalletIssuance(suite, new SecureRandom());
    SimulatedCard wallet = issuance.newWallet(CARD_ID,
        new WalletIssuance.Limits(5_000, 2_000_000, 0, 100, 3), new byte[1][]);
    SimulatedCard psamCard = issuance.newPsam(new byte[] {0x50, 0, 0, 0, 0, 0, 0, 1});
    Metered psam = new Metered(psamCard.tap());
    OutcomeList.SignedRating[] listed = new OutcomeList.SignedRating[1];
    OutcomeList list = new OutcomeList() {
      @Override
      public Optional<SignedOutcome> find(byte[] cardId, long pendingCounter) {
        return Optional.empty();
      }

      @Override
      public Optional<SignedRating> rating(byte[] cardId) {
        return Optional.ofNullable(listed[0]);
      }
    };
    try (WalletJournal journal = WalletJournal.open(dir.resolve(suite + ".journal"));
        RatingConfirmationLog confirmations = RatingConfirmationLog.open(dir.resolve(suite + ".ratings"))) {
      WalletKernel kernel = new WalletKernel(psam, journal, new RatingSplitPolicy(2), list, confirmations);
      kernel.load(wallet.tap(), 1_000_000, issuance::signLoad);
      long[] posCpuNs = new long[purchases];
      Metered last = null;
      for (int i = 0; i < purchases; i++) {
        if (rating) {
          listed[0] = issuance.macRating(CARD_ID, 20_000 + i, 4, 10_000, 0x0F);
        }
        Metered card = new Metered(wallet.tap());
        psam.insideCpuNs = 0;
        long start = cpu.getCurrentThreadCpuTime();
        WalletKernel.Outcome outcome = kernel.purchase(card, 100 + i);
        long total = cpu.getCurrentThreadCpuTime() - start;
        if (!(outcome instanceof WalletKernel.Outcome.Approved)) {
          throw new IllegalStateException("bench purchase not approved: " + outcome);
        }
        posCpuNs[i] = total - card.insideCpuNs - psam.insideCpuNs;
        last = card;
      }
      AirTimeModel air = AirTimeModel.iso14443a106();
      double airMs = 0;
      int bytes = 0;
      List<String> lines = new ArrayList<>();
      for (int[] e : last.exchanges) {
        double ms = air.exchangeMicros(e[1], e[2]) / 1000;
        airMs += ms;
        bytes += e[1] + e[2];
        lines.add(String.format("INS %02X: %d bytes to card, %d from card, air %.1f ms", e[0], e[1], e[2], ms));
      }
      // Wallet DEBIT: POS certificate, PSAM signature, card signs, and the TAC (the transit formula: session
      // key + MAC, bench.pos.CardTimeModel from JCAlgTest's JCOP4 figures; AES-128 stands in for SM4).
      long ratingWrites = last.exchanges.stream().filter(e -> e[0] == 0x5C).count();
      double cardMs = 2 * SE_VERIFY_MS + SE_SIGN_MS + CardTimeModel.of(suite).generateAcMs()
          + ratingWrites * RATING_MACS * CardTimeModel.of(suite).generateAcMs();
      double psamInField = SE_SIGN_MS; // PSAM AUTHENTICATE while the card waits
      Arrays.sort(posCpuNs);
      return new Result(suite, last.exchanges.size(), bytes, airMs, cardMs, airMs + cardMs + psamInField,
          2 * SE_VERIFY_MS + SE_SIGN_MS, posCpuNs[purchases / 2] / 1e6, lines);
    }
  }

  /** Records each exchange's sizes and the thread CPU spent inside the simulator. */
  private static final class Metered implements CardChannel {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private final CardChannel inner;
    private final List<int[]> exchanges = new ArrayList<>();
    private long insideCpuNs;

    Metered(CardChannel inner) {
      this.inner = inner;
    }

    @Override
    public ResponseApdu transmit(CommandApdu command) {
      long start = CPU.getCurrentThreadCpuTime();
      ResponseApdu response = inner.transmit(command);
      insideCpuNs += CPU.getCurrentThreadCpuTime() - start;
      exchanges.add(new int[] {command.ins(), command.encode().length, response.data().length + 2});
      return response;
    }
  }
}
