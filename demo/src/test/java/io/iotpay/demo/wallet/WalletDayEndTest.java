package io.iotpay.demo.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.bench.wallet.WalletIssuance;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.issuer.wallet.WalletDayEnd;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.WalletDayFile;
import io.iotpay.protocol.pki.SignedFileException;
import io.iotpay.terminal.wallet.CardDebit;
import io.iotpay.terminal.wallet.CardState;
import io.iotpay.terminal.wallet.WalletKernel;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Day end and lists written back (docs/wallet.md §3–4), both suites (cards, PSAMs, the issuer's
 * keys and the file PKI all of the suite): signed day files cleared against shadow accounts, the
 * signed list taken by every POS, outcomes written at the next tap at another POS, debt recovered
 * at the next load, the blocking rule, forged files refused, a card that refuses its write-back,
 * a card whose wallet and shadow account disagree.
 */
class WalletDayEndTest {
  private static final WalletIssuance.Limits LIMITS = new WalletIssuance.Limits(5_000, 20_000, 3_000, 9, 3);

  private static WalletKernel.Outcome.Approved pay(WalletNetwork.Pos pos, WalletNetwork.Cardholder card, long minor) {
    WalletKernel.Outcome outcome = pos.kernel().purchase(card.card().tap(), minor);
    assertThat(outcome).isInstanceOf(WalletKernel.Outcome.Approved.class);
    return (WalletKernel.Outcome.Approved) outcome;
  }

  private static CardState state(WalletNetwork.Cardholder card) {
    return WalletKernel.readState(card.card().tap());
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void completedAndFailedPartsAreWrittenBackAtAnotherPos_debtRecoveredAtLoad_secondFailureBlocks(AlgorithmSuite suite,
      @TempDir Path dir) {
    // Nightly ratings off: with them, the failed part rates the cardholder too low to split again, so
    // the scheme's blocking rule would never meet a second failure (WalletRatingEndToEndTest shows that).
    try (WalletNetwork network = new WalletNetwork(dir, 3, suite, false)) {
      WalletNetwork.Pos canteen = network.openPos("canteen", suite, WalletIds.pos(1));
      WalletNetwork.Pos bus = network.openPos("bus", suite, WalletIds.pos(2));
      WalletNetwork.Cardholder rich = network.issueCard(suite, WalletIds.card(1), LIMITS, 10_000);
      WalletNetwork.Cardholder poor = network.issueCard(suite, WalletIds.card(2), LIMITS, 1_000);
      network.load(canteen, rich, 1_000).orElseThrow();
      network.load(canteen, poor, 1_000).orElseThrow();
      pay(canteen, rich, 2_500); // 1,000 offline + 1,500 online: completes
      pay(canteen, poor, 2_000); // 1,000 offline + 1,000 online: the online account is empty, fails

      var clearings = network.endDay(Set.of());
      assertThat(clearings.get(0).cleared()).isEqualTo(4 - 2); // canteen: two purchases (loads are not purchases)
      assertThat(network.dayEnd().clearedCount()).isEqualTo(2);
      assertThat(network.balance(rich.shadowAccount())).isZero();
      assertThat(network.balance(canteen.merchantAccount())).isEqualTo(1_000 + 1_500 + 1_000);
      assertThat(bus.outcomes().version()).isEqualTo(1);

      pay(bus, rich, 100).record(); // WRITE BACK completed, then an offline... the wallet is empty: split
      assertThat(state(rich).pending()).isTrue(); // the new split's pending part, not the old one
      assertThat(state(rich).pendingCounter()).isEqualTo(2);
      // The failed part becomes debt on the card; the policy still lets the card split 100 online.
      pay(bus, poor, 100);
      assertThat(state(poor).debtMinor()).isEqualTo(1_000);
      assertThat(state(poor).pendingCounter()).isEqualTo(2);

      network.fundOnline(poor, 1_500); // the cardholder tops up the online account from the bank
      network.load(bus, poor, 1_500).orElseThrow(); // 1,000 recovers the debt, 500 reaches the balance
      assertThat(state(poor).balanceMinor()).isEqualTo(500);
      assertThat(state(poor).debtMinor()).isZero();
      assertThat(network.dayEnd().debtsRecoveredMinor()).isEqualTo(1_000);
      assertThat(network.balance(canteen.merchantAccount())).isEqualTo(1_000 + 1_500 + 1_000 + 1_000);

      // The scheme's rule: a second failed part (the 100 online, the online account now empty) blocks the card.
      network.endDay(Set.of());
      assertThat(network.dayEnd().blocked()).contains(poor.idHex());
      WalletKernel.Outcome blocked = canteen.kernel().purchase(poor.card().tap(), 10);
      assertThat(blocked).isInstanceOf(WalletKernel.Outcome.Declined.class);
      assertThat(state(poor).blocked()).isTrue();
      assertThat(state(poor).debtMinor()).isEqualTo(100);
      assertThat(network.books().balanced()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aForgedListOrDayFileIsRefusedAndChangesNothing(AlgorithmSuite suite, @TempDir Path dir) throws IOException {
    try (WalletNetwork network = new WalletNetwork(dir, 4, suite)) {
      WalletNetwork.Pos shop = network.openPos("shop", suite, WalletIds.pos(3));
      WalletNetwork.Cardholder card = network.issueCard(suite, WalletIds.card(3), LIMITS, 10_000);
      network.load(shop, card, 1_000).orElseThrow();
      pay(shop, card, 300);
      Path day = shop.writeDayFile(network.clock().businessDate());
      byte[] bytes = Files.readAllBytes(day);
      Path forgedDay = dir.resolve("forged-day.txt");
      Files.write(forgedDay, bytes);
      Files.copy(Path.of(day + ".sig"), Path.of(forgedDay + ".sig"));
      byte[] altered = bytes.clone();
      altered[altered.length / 2] ^= 0x01;
      Files.write(forgedDay, altered);
      assertThatThrownBy(() -> network.dayEnd().clear(forgedDay)).isInstanceOf(SignedFileException.class)
          .hasMessageStartingWith("FORGED");
      assertThat(network.dayEnd().clearedCount()).isZero();
      assertThat(network.balance(card.shadowAccount())).isEqualTo(1_000);

      network.endDay(Set.of());
      Path list = dir.resolve("wallet-list-1.txt");
      Path forgedList = dir.resolve("wallet-list-forged.txt");
      byte[] listBytes = Files.readAllBytes(list);
      listBytes[listBytes.length - 10] ^= 0x01;
      Files.write(forgedList, listBytes);
      Files.copy(Path.of(list + ".sig"), Path.of(forgedList + ".sig"));
      long held = shop.outcomes().version();
      assertThatThrownBy(() -> shop.download(forgedList)).isInstanceOf(SignedFileException.class);
      assertThatThrownBy(() -> shop.download(list)).isInstanceOf(SignedFileException.class)
          .hasMessageStartingWith("REPLAYED");
      assertThat(shop.outcomes().version()).isEqualTo(held);
      // A POS's own key signing a list: the role may not send it.
      Path posSigned = dir.resolve("pos-signed-list.txt");
      Files.copy(list, posSigned);
      Path posDay = shop.writeDayFile(network.clock().businessDate());
      Files.copy(Path.of(posDay + ".sig"), Path.of(posSigned + ".sig"));
      assertThatThrownBy(() -> shop.download(posSigned)).isInstanceOf(SignedFileException.class);
      assertThat(shop.outcomes().version()).isEqualTo(held);
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aDebitWhoseTacIsWrong_orWhoseBytesThePosAltered_isNotCleared_andChangesNothing(AlgorithmSuite suite,
      @TempDir Path dir) throws IOException {
    try (WalletNetwork network = new WalletNetwork(dir, 6, suite, false)) {
      WalletNetwork.Pos shop = network.openPos("shop", suite, WalletIds.pos(4));
      WalletNetwork.Cardholder card = network.issueCard(suite, WalletIds.card(4), LIMITS, 10_000);
      network.load(shop, card, 1_000).orElseThrow();
      CardDebit genuine = pay(shop, card, 300).record().debit();
      byte[] wrongTac = genuine.tac();
      wrongTac[7] ^= 0x01;
      byte[] inflated = genuine.signatureInput();
      inflated[16] = (byte) 0xF4; // offline 300 (0x012C) becomes 500 (0x01F4) under the card's TAC and signature
      // Signed by the POS's own certified key: the file is authentic, its lines are not.
      Path forged = dir.resolve("forged-day.txt");
      try (OutputStream out = Files.newOutputStream(forged)) {
        WalletDayFile.write(out, shop.party(), WalletNetwork.ISSUER_PARTY, network.clock().businessDate(), 99,
            CurrencyUnit.CNY, List.of(
                new WalletDayFile.Purchase(genuine.signatureInput(), wrongTac, genuine.cardSignature(), 1, new byte[8]),
                new WalletDayFile.Purchase(inflated, genuine.tac(), genuine.cardSignature(), 1, new byte[8])));
      }
      shop.trust().signer().sign(forged, FileKind.WALLET_DAY);

      WalletDayEnd.Clearing refused = network.dayEnd().clear(forged);
      assertThat(refused.purchases()).isEqualTo(2);
      assertThat(refused.cleared()).isZero();
      assertThat(refused.offlineMinor()).isZero();
      assertThat(network.dayEnd().clearedCount()).isZero();
      assertThat(network.balance(card.shadowAccount())).isEqualTo(1_000);
      assertThat(network.balance(shop.merchantAccount())).isZero();

      // The genuine line still clears once: the refused lines took nothing of the card's counter.
      var clearings = network.endDay(Set.of());
      assertThat(clearings.get(0).cleared()).isEqualTo(1);
      assertThat(network.balance(card.shadowAccount())).isEqualTo(700);
      assertThat(network.balance(shop.merchantAccount())).isEqualTo(300);
      assertThat(network.books().balanced()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aBatchClearsItsGoodFiles_andRefusesAForgedOneAndTheSameFileSentTwice_changingNothingForThem(
      AlgorithmSuite suite, @TempDir Path dir) throws IOException {
    try (WalletNetwork network = new WalletNetwork(dir, 7, suite, false)) {
      WalletNetwork.Pos first = network.openPos("first", suite, WalletIds.pos(5));
      WalletNetwork.Pos second = network.openPos("second", suite, WalletIds.pos(6));
      WalletNetwork.Cardholder card = network.issueCard(suite, WalletIds.card(5), LIMITS, 10_000);
      network.load(first, card, 1_000).orElseThrow();
      pay(first, card, 300);
      pay(second, card, 200);
      Path good = first.writeDayFile(network.clock().businessDate());
      Path again = dir.resolve("sent-again.txt");
      Files.copy(good, again);
      Files.copy(Path.of(good + ".sig"), Path.of(again + ".sig"));
      Path forged = second.writeDayFile(network.clock().businessDate());
      byte[] bytes = Files.readAllBytes(forged);
      bytes[bytes.length / 2] ^= 0x01;
      Files.write(forged, bytes);

      WalletDayEnd.Batch batch = network.dayEnd().clearAll(List.of(good, forged, again));
      assertThat(batch.clearings()).singleElement().satisfies(c -> assertThat(c.cleared()).isEqualTo(1));
      assertThat(batch.refused()).containsOnlyKeys(forged, again);
      assertThat(batch.refused().get(forged)).isInstanceOf(SignedFileException.class).hasMessageStartingWith("FORGED");
      assertThat(batch.refused().get(again)).isInstanceOf(SignedFileException.class).hasMessageStartingWith("REPLAYED");
      assertThat(network.dayEnd().clearedCount()).isEqualTo(1);
      assertThat(network.balance(card.shadowAccount())).isEqualTo(700);
      assertThat(network.balance(first.merchantAccount())).isEqualTo(300);
      assertThat(network.balance(second.merchantAccount())).isZero();
      assertThat(network.balance(WalletNetwork.CLEARING)).isZero();
      assertThat(network.books().balanced()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aCardThatRefusesItsWriteBackKeepsItsPendingPart_paysOfflineOnly_andTheListKeepsItsEntry(AlgorithmSuite suite,
      @TempDir Path dir) {
    try (WalletNetwork network = new WalletNetwork(dir, 5, suite)) {
      WalletNetwork.Pos shop = network.openPos("shop", suite, WalletIds.pos(4));
      WalletNetwork.Cardholder stale = network.issueCard(suite, WalletIds.card(4), LIMITS, 10_000, true);
      // The card cannot be loaded (it refuses the issuer's LOAD too): it pays an online-only split.
      pay(shop, stale, 1_000);
      network.endDay(Set.of());
      assertThat(shop.outcomes().find(stale.cardId(), 1)).isPresent();

      WalletKernel.Outcome again = shop.kernel().purchase(stale.card().tap(), 500);
      assertThat(again).isInstanceOf(WalletKernel.Outcome.Declined.class); // cannot split while its part is pending
      assertThat(state(stale).pending()).isTrue();
      assertThat(state(stale).counter()).isEqualTo(1);
      assertThat(shop.outcomes().find(stale.cardId(), 1)).isPresent(); // tried again at every tap
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void aCardWhoseWalletAndShadowDisagreeIsDetectedAndBlocked(AlgorithmSuite suite, @TempDir Path dir) {
    try (WalletNetwork network = new WalletNetwork(dir, 6, suite)) {
      WalletNetwork.Pos shop = network.openPos("shop", suite, WalletIds.pos(5));
      WalletNetwork.Cardholder honest = network.issueCard(suite, WalletIds.card(5), LIMITS, 10_000);
      WalletNetwork.Cardholder odd = network.issueCard(suite, WalletIds.card(6), LIMITS, 10_000);
      network.load(shop, honest, 1_000).orElseThrow();
      network.load(shop, odd, 1_000).orElseThrow();
      // A load signed with the issuer's key that never went through its books (a leaked key).
      shop.kernel().load(odd.card().tap(), 700, network.issuance(suite)::signLoad);
      pay(shop, honest, 400);
      pay(shop, odd, 400);
      network.endDay(Set.of());
      assertThat(network.dayEnd().detectMismatches()).containsExactly(odd.idHex());
      assertThat(shop.outcomes().blocked(odd.cardId())).isTrue();
      assertThat(shop.kernel().purchase(odd.card().tap(), 100)).isInstanceOf(WalletKernel.Outcome.Declined.class);
      pay(shop, honest, 100);
    }
  }
}
