package io.iotpay.terminal.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import io.iotpay.foundation.card.CardGoneException;
import io.iotpay.foundation.card.FaultyCardChannel;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tearing matrix: for every wallet APDU of a purchase, of the recovery tap after a lost DEBIT
 * response, of a purchase tap that writes an outcome back (completed and failed), of a purchase
 * tap that writes a rating, and of a load,
 * each fault of {@link FaultyCardChannel.Fault}; then the next tap completes the same operation on
 * a clean channel. After every case: the wallet's balance plus every offline value the POS recorded
 * equals the value loaded (nothing created or lost), the customer paid each purchase once, the
 * card's log and the POS journal hold the same purchases, the PSAM's sequence counts them, every
 * journalled card signature verifies and every journalled TAC is the card's, and a write-back,
 * rating or load took effect exactly once.
 */
class WalletTearingMatrixTest {
  private static final long RATING_VERSION = 20_500;
  @TempDir Path dir;

  enum Operation {
    /** SELECT, INITIALIZE, DEBIT. */
    PURCHASE(3),
    /** After a lost DEBIT response: SELECT, INITIALIZE, READ LOG (then recovery needs no DEBIT). */
    RECOVERY(3),
    /** Pending part completed: SELECT, INITIALIZE, WRITE BACK, DEBIT. */
    WRITE_BACK_COMPLETED(4),
    /** Pending part failed into debt: SELECT, INITIALIZE, WRITE BACK, DEBIT. */
    WRITE_BACK_FAILED(4),
    /** SELECT, INITIALIZE, LOAD. */
    LOAD(3),
    /** A newer rating listed: SELECT, INITIALIZE, WRITE RATING, DEBIT. */
    RATING(4);

    final int apdus;

    Operation(int apdus) {
      this.apdus = apdus;
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void everyTearOfEveryWalletApdu_conservesValue(AlgorithmSuite suite) throws Exception {
    WalletScheme scheme = new WalletScheme(suite, 11);
    List<String> violations = new ArrayList<>();
    int cases = 0;
    for (Operation op : Operation.values()) {
      for (int apdu = 1; apdu <= op.apdus; apdu++) {
        for (FaultyCardChannel.Fault fault : FaultyCardChannel.Fault.values()) {
          final int at = apdu;
          Path caseDir = Files.createDirectory(dir.resolve(suite + "-" + op + "-" + apdu + "-" + fault));
          try (WalletWorld world = new WalletWorld(scheme, caseDir, WalletScheme.Limits.standard())) {
            violations.addAll(run(world, op, apdu, fault).stream()
                .map(v -> op + " apdu " + at + "/" + fault + ": " + v).toList());
          }
          cases++;
        }
      }
    }
    System.out.println("Wallet tearing matrix " + suite + ": " + cases + " cases, " + violations.size() + " violations");
    violations.forEach(v -> System.out.println("  violation: " + v));
    assertThat(cases).isEqualTo(3 * (3 + 3 + 4 + 4 + 3 + 4));
    assertThat(violations).isEmpty();
  }

  private List<String> run(WalletWorld world, Operation op, int apdu, FaultyCardChannel.Fault fault) {
    List<String> v = new ArrayList<>();
    long expectedPurchases;
    long expectedDebt = 0;
    switch (op) {
      case PURCHASE -> {
        world.load(10_000);
        tornThenClean(world, apdu, fault, ch -> world.kernel.purchase(ch, 1_250));
        expectedPurchases = 1;
      }
      case RECOVERY -> {
        world.load(10_000);
        tornThenClean(world, 3, FaultyCardChannel.Fault.LOSE_RESPONSE, ch -> world.kernel.purchase(ch, 1_250));
        // tornThenClean already completed it; tear the recovery of a second lost debit instead.
        lose(world, 3, FaultyCardChannel.Fault.LOSE_RESPONSE, ch -> world.kernel.purchase(ch, 700));
        tornThenClean(world, apdu, fault, ch -> world.kernel.purchase(ch, 700));
        expectedPurchases = 2;
      }
      case WRITE_BACK_COMPLETED, WRITE_BACK_FAILED -> {
        world.load(1_000);
        WalletKernel.Outcome split = world.kernel.purchase(world.tap(), 2_000);
        PurchaseRecord record = ((WalletKernel.Outcome.Approved) split).record();
        int outcome = op == Operation.WRITE_BACK_COMPLETED ? OutcomeList.COMPLETED : OutcomeList.FAILED_DEBT;
        world.outcomes.put(record.debit().counter(), world.scheme.signOutcome(WalletWorld.CARD,
            record.debit().counter(), record.debit().onlineMinor(), outcome, world.scheme.issuerKeys));
        world.load(5_000);
        tornThenClean(world, apdu, fault, ch -> world.kernel.purchase(ch, 300));
        expectedPurchases = 2;
        expectedDebt = outcome == OutcomeList.FAILED_DEBT ? 1_000 : 0;
      }
      case LOAD -> {
        tornThenClean(world, apdu, fault, ch -> world.kernel.load(ch, 5_000, world.scheme::signLoad));
        world.loadedMinor += 5_000;
        expectedPurchases = 0;
      }
      case RATING -> {
        world.load(10_000);
        world.listedRating = world.scheme.macRating(WalletWorld.CARD, RATING_VERSION, 4, 5_000, 0x0F, world.scheme.walletImk);
        tornThenClean(world, apdu, fault, ch -> world.kernel.purchase(ch, 1_250));
        expectedPurchases = 1;
      }
      default -> throw new IllegalStateException(op.toString());
    }
    CardState state = world.state();
    List<PurchaseRecord> records = world.journal.records();
    if (state.balanceMinor() + world.journalOfflineMinor() != world.loadedMinor) {
      v.add("value not conserved: balance " + state.balanceMinor() + " + recorded " + world.journalOfflineMinor()
          + " != loaded " + world.loadedMinor);
    }
    if (records.size() != expectedPurchases || state.counter() != expectedPurchases) {
      v.add("purchases: journal " + records.size() + ", card counter " + state.counter() + ", expected " + expectedPurchases);
    }
    List<Long> logged = world.cardLogCounters();
    List<Long> journalled = records.stream().map(r -> r.debit().counter()).sorted((a, b) -> Long.compare(b, a)).toList();
    if (!logged.equals(journalled)) {
      v.add("card log " + logged + " != journal " + journalled);
    }
    long psamSequence = records.isEmpty() ? 0 : records.get(records.size() - 1).psamSequence();
    if (psamSequence != records.size()) {
      v.add("PSAM sequence " + psamSequence + " for " + records.size() + " records");
    }
    for (PurchaseRecord r : records) {
      if (!world.scheme.suite.signature().verify(world.scheme.cardKey(state.certificate()), r.debit().signatureInput(),
          r.debit().cardSignature())) {
        v.add("card signature does not verify for counter " + r.debit().counter());
      }
      // The issuer clears on the TAC: a recovered record (READ LOG) must carry the card's TAC as DEBIT did.
      if (!java.util.Arrays.equals(r.debit().tac(), io.iotpay.protocol.transit.TransitTac.tac(world.scheme.suite,
          world.scheme.tacKey(WalletWorld.CARD), (int) (r.debit().counter() & 0xFFFF), r.debit().signatureInput()))) {
        v.add("TAC is not the card's for counter " + r.debit().counter());
      }
    }
    if (state.pending() || state.debtMinor() != expectedDebt) {
      if (op != Operation.PURCHASE && op != Operation.RECOVERY && op != Operation.LOAD) {
        v.add("write-back: pending " + state.pending() + ", debt " + state.debtMinor() + ", expected " + expectedDebt);
      }
    }
    if (op == Operation.RATING) {
      // Written exactly once: the card holds it, and the POS logged at most one confirmation (none
      // when the WRITE RATING answer itself was lost: docs/wallet-apdus.md §3.8).
      List<RatingConfirmation> confirmed = world.ratingLog.confirmations();
      boolean answerLost = apdu == 3 && fault == FaultyCardChannel.Fault.LOSE_RESPONSE;
      if (state.ratingVersion() != RATING_VERSION || state.allowanceMinor() != 5_000
          || confirmed.size() != (answerLost ? 0 : 1)) {
        v.add("rating: card version " + state.ratingVersion() + ", allowance " + state.allowanceMinor() + ", "
            + confirmed.size() + " confirmations logged");
      }
    }
    if (op == Operation.LOAD && (state.loadNumber() != 1 || state.balanceMinor() != 5_000)) {
      v.add("load applied " + state.loadNumber() + " times, balance " + state.balanceMinor());
    }
    return v;
  }

  /** The operation on a faulty channel (it may or may not break), then again on the next, clean tap. */
  private static void tornThenClean(WalletWorld world, int apdu, FaultyCardChannel.Fault fault,
      Function<io.iotpay.foundation.card.CardChannel, Object> operation) {
    lose(world, apdu, fault, operation);
    Object result = operation.apply(world.tap());
    if (result instanceof WalletKernel.Outcome.Declined d) {
      throw new AssertionError("the clean tap was declined: " + d.reason());
    }
  }

  private static void lose(WalletWorld world, int apdu, FaultyCardChannel.Fault fault,
      Function<io.iotpay.foundation.card.CardChannel, Object> operation) {
    FaultyCardChannel faulty = new FaultyCardChannel(world.tap(), apdu, fault);
    try {
      operation.apply(faulty);
    } catch (CardGoneException expected) {
      // The tap broke; the next tap recovers.
    }
    // The case is only meaningful if the fault really hit the APDU it names.
    assertThat(faulty.commandsSent()).as("APDUs reached in the torn tap").isGreaterThanOrEqualTo(apdu);
  }
}
