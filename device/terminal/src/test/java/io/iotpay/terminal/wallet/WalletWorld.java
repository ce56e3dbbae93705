package io.iotpay.terminal.wallet;

import io.iotpay.foundation.card.CardChannel;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One wallet, one POS (PSAM + journal + kernel) and the issuer's bookkeeping for a test: what was
 * loaded, and the signed outcomes the POS has downloaded.
 */
final class WalletWorld implements AutoCloseable {
  static final byte[] CARD = WalletScheme.id("6210000000000001");
  static final byte[] POS = WalletScheme.id("5000000000000007");

  final WalletScheme scheme;
  final WalletScheme.Sim wallet;
  final WalletScheme.Sim psam;
  final WalletJournal journal;
  final RatingConfirmationLog ratingLog;
  final WalletKernel kernel;
  final Map<Long, OutcomeList.SignedOutcome> outcomes = new HashMap<>();
  /** The rating the POS's list holds for the card, if any. */
  OutcomeList.SignedRating listedRating;
  long loadedMinor;

  WalletWorld(WalletScheme scheme, Path dir, WalletScheme.Limits limits) {
    this.scheme = scheme;
    wallet = scheme.newWallet(CARD, limits);
    psam = scheme.newPsam(POS);
    journal = WalletJournal.open(dir.resolve("pos.journal"));
    ratingLog = RatingConfirmationLog.open(dir.resolve("pos.ratings"));
    kernel = newKernel(new RatingSplitPolicy(2));
  }

  /** A kernel on this world's PSAM, journal, list and rating log (a POS restarted, or with another policy). */
  WalletKernel newKernel(SplitPolicy policy) {
    OutcomeList list = new OutcomeList() {
      @Override
      public Optional<SignedOutcome> find(byte[] cardId, long counter) {
        return Optional.ofNullable(outcomes.get(counter));
      }

      @Override
      public Optional<SignedRating> rating(byte[] cardId) {
        return Optional.ofNullable(listedRating);
      }
    };
    return new WalletKernel(psam.channel(), journal, policy, list, ratingLog);
  }

  static WalletWorld of(AlgorithmSuite suite, Path dir) {
    return new WalletWorld(new WalletScheme(suite, 7), dir, WalletScheme.Limits.standard());
  }

  /** The next tap: the card leaves and comes back, so its transient session is gone. */
  CardChannel tap() {
    wallet.reinsert();
    return wallet.channel();
  }

  WalletKernel.LoadResult load(long amountMinor) {
    WalletKernel.LoadResult result = kernel.load(tap(), amountMinor, scheme::signLoad);
    loadedMinor += amountMinor;
    return result;
  }

  CardState state() {
    return WalletKernel.readState(tap());
  }

  long journalOfflineMinor() {
    return journal.records().stream().mapToLong(r -> r.debit().offlineMinor()).sum();
  }

  /** The card's purchase log, newest first, as counters. */
  java.util.List<Long> cardLogCounters() {
    java.util.List<Long> counters = new java.util.ArrayList<>();
    CardChannel channel = tap();
    channel.transmit(WalletApdus.select(WalletApdus.WALLET_AID));
    for (int n = 1; n <= 10; n++) {
      var response = channel.transmit(WalletApdus.readLog(n));
      if (response.sw() == 0x6A83) {
        break;
      }
      byte[] d = response.data();
      counters.add(((d[0] & 0xFFL) << 24) | ((d[1] & 0xFFL) << 16) | ((d[2] & 0xFFL) << 8) | (d[3] & 0xFFL));
    }
    return counters;
  }

  @Override
  public void close() {
    journal.close();
    ratingLog.close();
  }
}
