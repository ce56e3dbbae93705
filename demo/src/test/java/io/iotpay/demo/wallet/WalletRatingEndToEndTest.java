package io.iotpay.demo.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iotpay.bench.wallet.WalletIssuance;
import io.iotpay.foundation.codec.CommandApdu;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.issuer.credit.CardholderId;
import io.iotpay.issuer.credit.PurchaseKind;
import io.iotpay.issuer.credit.Rating;
import io.iotpay.issuer.credit.RatingBand;
import io.iotpay.issuer.credit.RatingStore;
import io.iotpay.issuer.wallet.WalletDayEnd;
import io.iotpay.issuer.wallet.WalletRatings;
import io.iotpay.protocol.file.WalletDayFile;
import io.iotpay.protocol.pki.SignedFileException;
import io.iotpay.terminal.wallet.CardState;
import io.iotpay.terminal.wallet.RatingConfirmation;
import io.iotpay.terminal.wallet.WalletApdus;
import io.iotpay.terminal.wallet.WalletKernel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The nightly rating end to end (docs/wallet.md §5), both suites (cards, PSAMs, issuer keys and the
 * file PKI), the issuer's ratings in SQLite: scored at day end → MACed into the list inside the
 * issuer's custody → written at the card's next tap at another POS → the card's confirmation MAC in
 * that POS's day file → verified through the custody and marked written. Confirmations the issuer
 * cannot verify (forged, altered, the issuer's own rating MAC or a TAC passed off as one) mark
 * nothing; a forged list is refused.
 */
class WalletRatingEndToEndTest {
  private static final WalletIssuance.Limits LIMITS = new WalletIssuance.Limits(5_000, 20_000, 3_000, 9, 3);

  private static WalletKernel.Outcome pay(WalletNetwork.Pos pos, WalletNetwork.Cardholder card, long minor) {
    return pos.kernel().purchase(card.card().tap(), minor);
  }

  private static CardState state(WalletNetwork.Cardholder card) {
    return WalletKernel.readState(card.card().tap());
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void scoreListTapConfirmMarkWritten_andTheSplitUsesTheNewRating(AlgorithmSuite suite, @TempDir Path dir) {
    try (WalletNetwork network = new WalletNetwork(dir, 5, suite)) {
      WalletNetwork.Pos canteen = network.openPos("canteen", suite, WalletIds.pos(1), PurchaseKind.CANTEEN.bit());
      WalletNetwork.Pos shop = network.openPos("shop", suite, WalletIds.pos(2), PurchaseKind.SHOP.bit());
      WalletNetwork.Cardholder rich = network.issueCard(suite, WalletIds.card(1), LIMITS, 20_000);
      WalletNetwork.Cardholder poor = network.issueCard(suite, WalletIds.card(2), LIMITS, 1_500);
      network.load(canteen, rich, 3_000).orElseThrow();
      network.load(canteen, poor, 1_000).orElseThrow();
      assertThat(pay(canteen, rich, 800)).isInstanceOf(WalletKernel.Outcome.Approved.class);
      assertThat(pay(canteen, poor, 2_500)).isInstanceOf(WalletKernel.Outcome.Approved.class); // 1,500 online: 500 left, fails
      LocalDate day1 = network.clock().businessDate();

      network.endDay(Set.of()); // cleared, scored, listed
      RatingStore store = network.credit().store();
      CardholderId richId = network.credit().cardholderOf(rich.idHex());
      CardholderId poorId = network.credit().cardholderOf(poor.idHex());
      Rating richRating = store.rating(richId, day1).orElseThrow();
      Rating poorRating = store.rating(poorId, day1).orElseThrow();
      // docs/credit.md's table: 599 (B) for the rich cardholder, 513 (E) once an online part failed and is owed.
      assertThat(richRating.band()).isEqualTo(RatingBand.B);
      assertThat(poorRating.band()).isEqualTo(RatingBand.E);
      assertThat(store.written(richId, day1)).isFalse();
      assertThat(shop.outcomes().rating(rich.cardId())).get()
          .satisfies(r -> assertThat(r.version()).isEqualTo(day1.toEpochDay()));

      // The next tap, at another POS than the one that saw the card: the rating is written first.
      WalletKernel.Outcome next = pay(shop, rich, 500);
      assertThat(next.walletApdus()).as("SELECT, INITIALIZE, WRITE RATING, DEBIT").isEqualTo(4);
      CardState onCard = state(rich);
      assertThat(onCard.ratingVersion()).isEqualTo(day1.toEpochDay());
      assertThat(onCard.rating()).isEqualTo(WalletRatings.bandByte(richRating.band()));
      assertThat(onCard.allowanceMinor()).isEqualTo(richRating.allowance().amountMinor());
      assertThat(onCard.splitKinds()).isEqualTo(PurchaseKind.maskOf(richRating.splitKinds()));
      assertThat(shop.ratingLog().confirmations()).hasSize(1);
      assertThat(store.written(richId, day1)).as("not before the issuer verified the confirmation").isFalse();

      // The poor cardholder's new rating stops its next split, whatever the POS.
      WalletKernel.Outcome poorTap = pay(canteen, poor, 2_000);
      CardState poorCard = state(poor);
      assertThat(poorCard.ratingVersion()).isEqualTo(day1.toEpochDay());
      assertThat(poorCard.allowanceMinor()).isEqualTo(poorRating.allowance().amountMinor());
      assertThat(poorCard.debtMinor()).isEqualTo(1_500); // the failed part, written back at the same tap
      assertThat(poorTap).isInstanceOf(WalletKernel.Outcome.Declined.class); // with the personalised rating it would split

      List<WalletDayEnd.Clearing> clearings = network.endDay(Set.of());
      assertThat(clearings.stream().mapToInt(WalletDayEnd.Clearing::ratingsConfirmed).sum()).isEqualTo(2);
      assertThat(store.written(richId, day1)).isTrue();
      assertThat(store.written(poorId, day1)).isTrue();
      assertThat(network.credit().ratingsWritten()).isEqualTo(2);
      // The second night's ratings wait for the next taps.
      LocalDate day2 = day1.plusDays(1);
      assertThat(store.ratingForNextTap(richId)).get().satisfies(r -> assertThat(r.businessDate()).isEqualTo(day2));
    }
  }

  @ParameterizedTest
  @EnumSource(AlgorithmSuite.class)
  void confirmationsTheIssuerCannotVerify_markNothing_andAForgedListIsRefused(AlgorithmSuite suite, @TempDir Path dir)
      throws IOException {
    try (WalletNetwork network = new WalletNetwork(dir, 6, suite)) {
      WalletNetwork.Pos canteen = network.openPos("canteen", suite, WalletIds.pos(1), PurchaseKind.CANTEEN.bit());
      WalletNetwork.Cardholder card = network.issueCard(suite, WalletIds.card(1), LIMITS, 20_000);
      network.load(canteen, card, 3_000).orElseThrow();
      pay(canteen, card, 300);
      LocalDate day1 = network.clock().businessDate();
      network.endDay(Set.of());
      Rating issued = network.credit().store().rating(network.credit().cardholderOf(card.idHex()), day1).orElseThrow();

      // A forged list: the R2 line's allowance raised after the issuer signed the file.
      Path list = dir.resolve("wallet-list-1.txt");
      String text = Files.readString(list, StandardCharsets.US_ASCII);
      String rLine = text.lines().filter(l -> l.startsWith("R2|")).findFirst().orElseThrow();
      String[] f = rLine.split("\\|");
      f[4] = "2000000";
      Path forged = dir.resolve("forged-list.txt");
      Files.writeString(forged, text.replace(rLine, String.join("|", f)), StandardCharsets.US_ASCII);
      Files.copy(Path.of(list + ".sig"), Path.of(forged + ".sig"));
      long heldVersion = canteen.outcomes().version();
      assertThatThrownBy(() -> canteen.download(forged)).isInstanceOfSatisfying(SignedFileException.class,
          e -> assertThat(e.reason()).isNotEqualTo(SignedFileException.Reason.REPLAYED));
      assertThat(canteen.outcomes().version()).isEqualTo(heldVersion);

      pay(canteen, card, 300); // writes the genuine rating
      RatingConfirmation genuine = canteen.ratingLog().confirmations().get(0);
      WalletRatings ratings = network.ratings();
      CardholderId holder = network.credit().cardholderOf(card.idHex());

      byte[] badMac = genuine.cardMac();
      badMac[badMac.length - 1] ^= 1;
      assertThat(ratings.confirm(new WalletDayFile.Confirmation(genuine.input(), badMac)))
          .isEqualTo(WalletRatings.Confirmation.MAC_INVALID);
      byte[] raised = genuine.input(); // the POS reports a higher allowance than the card MACed
      ByteBuffer.wrap(raised, 14, 4).putInt(2_000_000);
      assertThat(ratings.confirm(new WalletDayFile.Confirmation(raised, genuine.cardMac())))
          .isEqualTo(WalletRatings.Confirmation.MAC_INVALID);
      // Key separation: the issuer's own MAC over the rating (from the list), and the card's TAC of a
      // purchase, passed off as the card's confirmation.
      byte[] issuerMac = canteen.outcomes().rating(card.cardId()).orElseThrow().issuerMac();
      assertThat(ratings.confirm(new WalletDayFile.Confirmation(genuine.input(), issuerMac)))
          .isEqualTo(WalletRatings.Confirmation.MAC_INVALID);
      byte[] tac = canteen.journal().records().get(0).debit().tac();
      assertThat(ratings.confirm(new WalletDayFile.Confirmation(genuine.input(), tac)))
          .isEqualTo(WalletRatings.Confirmation.MAC_INVALID);
      byte[] otherCard = genuine.input();
      System.arraycopy(WalletIds.card(99), 0, otherCard, 1, 8);
      assertThat(ratings.confirm(new WalletDayFile.Confirmation(otherCard, genuine.cardMac())))
          .isEqualTo(WalletRatings.Confirmation.UNKNOWN_CARD);
      assertThat(network.credit().store().written(holder, day1)).isFalse();

      // A rating MACed by the issuer's custody but never stored by its credit system: the card takes
      // it (the MAC is the card's only judge) and confirms it, and the issuer refuses to count it.
      long version = day1.toEpochDay() + 30;
      byte[] rogueInput = ByteBuffer.allocate(21).put((byte) 0x61).put(card.cardId()).putInt((int) version)
          .put((byte) 5).putInt(20_000).put((byte) 0x1F).putShort((short) WalletIssuance.CURRENCY).array();
      byte[] mac = network.ratingMacs().mac(suite, rogueInput);
      byte[] command = ByteBuffer.allocate(18 + mac.length).put(card.cardId()).putInt((int) version)
          .put((byte) 5).putInt(20_000).put((byte) 0x1F).put(mac).array();
      var channel = card.card().tap();
      channel.transmit(WalletApdus.select(WalletApdus.WALLET_AID));
      byte[] answer = channel.transmit(new CommandApdu(0x80, 0x5C, 0, 0, command, 256)).data();
      byte[] rogueConfirmation = rogueInput.clone();
      rogueConfirmation[0] = 0x71;
      assertThat(ratings.confirm(new WalletDayFile.Confirmation(rogueConfirmation,
          java.util.Arrays.copyOfRange(answer, 10, answer.length)))).isEqualTo(WalletRatings.Confirmation.NOT_ISSUED);

      assertThat(network.credit().store().written(holder, day1)).isFalse();
      assertThat(ratings.confirm(new WalletDayFile.Confirmation(genuine.input(), genuine.cardMac())))
          .isEqualTo(WalletRatings.Confirmation.MARKED_WRITTEN);
      assertThat(ratings.confirm(new WalletDayFile.Confirmation(genuine.input(), genuine.cardMac())))
          .isEqualTo(WalletRatings.Confirmation.REPEAT);
      assertThat(network.credit().store().written(holder, day1)).isTrue();
      assertThat(issued.businessDate()).isEqualTo(day1);
    }
  }
}
