package io.iotpay.issuer.wallet;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.issuer.credit.CardholderId;
import io.iotpay.issuer.credit.PurchaseKind;
import io.iotpay.issuer.credit.Rating;
import io.iotpay.issuer.credit.RatingBand;
import io.iotpay.issuer.credit.RatingStore;
import io.iotpay.protocol.file.WalletDayFile;
import io.iotpay.protocol.file.WalletListFile;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nightly credit ratings on their way to the cards (docs/wallet.md §5, docs/credit.md): every
 * enrolled card's rating waiting for its next tap ({@link RatingStore#ratingForNextTap}) is MACed
 * inside the issuer's key custody under the card's key ({@link WalletRatingMacs}) for the list
 * every POS takes; a card's confirmation MAC that a POS reports in its day file is verified through
 * the custody and against the rating the issuer stored, and only then is the rating marked written
 * ({@link RatingStore#markWritten}).
 *
 * <p>On the card: the version is the rating's business date as an epoch day (a later night is a
 * higher version), the band is {@link #bandByte} (A = 5 … E = 1, higher is better), the allowance is
 * in the card's currency, the kinds are {@link PurchaseKind#maskOf}.
 */
public final class WalletRatings {
  private static final Logger LOG = LoggerFactory.getLogger(WalletRatings.class);
  static final byte INPUT_RATING = 0x61;
  static final byte INPUT_CONFIRMATION = 0x71;
  static final int INPUT_LENGTH = 21;

  private final RatingStore store;
  private final WalletOnlineParts cards;
  private final int currencyNumeric;
  private final WalletRatingMacs macs;
  private final Function<String, CardholderId> cardholderOfCard;
  private final Supplier<Instant> now;

  /** What became of one reported confirmation. */
  public enum Confirmation {
    /** Genuine and the rating was waiting: marked written now. */
    MARKED_WRITTEN,
    /** Genuine, already marked written (the same confirmation reported again). */
    REPEAT,
    /** The card is not enrolled, or has no cardholder. */
    UNKNOWN_CARD,
    /** Not the card's confirmation MAC over these bytes (a forged or altered confirmation, or not a confirmation). */
    MAC_INVALID,
    /** MACed by the card, but not a rating this issuer stored for that date (band, allowance, kinds or currency differ). */
    NOT_ISSUED
  }

  /**
   * @param cards the enrolled cards (their suites)
   * @param currencyNumeric the cards' currency (ISO 4217 numeric); ratings in another currency are not published
   * @param macs the rating MACs through the issuer's custody
   * @param cardholderOfCard the cardholder of a card id (hex); null when the card has none
   * @param now the time recorded with a confirmation
   */
  public WalletRatings(RatingStore store, WalletOnlineParts cards, int currencyNumeric, WalletRatingMacs macs,
      Function<String, CardholderId> cardholderOfCard, Supplier<Instant> now) {
    this.store = Assert.notNull(store, "store");
    this.cards = Assert.notNull(cards, "cards");
    this.currencyNumeric = currencyNumeric;
    this.macs = Assert.notNull(macs, "macs");
    this.cardholderOfCard = Assert.notNull(cardholderOfCard, "cardholderOfCard");
    this.now = Assert.notNull(now, "now");
  }

  /** The band as the card holds it: A 5, B 4, C 3, D 2, E 1 (the POS's split rule reads higher as better). */
  public static int bandByte(RatingBand band) {
    return RatingBand.values().length - band.ordinal();
  }

  /** The rating's version on the card: its business date as an epoch day. */
  public static long versionOf(LocalDate businessDate) {
    return businessDate.toEpochDay();
  }

  /** The rating input the issuer MACs (tag 61) or the card MACs as its confirmation (tag 71). */
  static byte[] input(byte tag, byte[] cardId, long version, int band, long allowanceMinor, int kinds, int currency) {
    return ByteBuffer.allocate(INPUT_LENGTH).put(tag).put(cardId).putInt((int) version).put((byte) band)
        .putInt((int) allowanceMinor).put((byte) kinds).putShort((short) currency).array();
  }

  /** Every enrolled card's rating waiting for its next tap, MACed for the list, in card id order. */
  public List<WalletListFile.Rating> pending() {
    List<WalletListFile.Rating> out = new ArrayList<>();
    for (WalletCard card : cards.cards().stream().sorted(java.util.Comparator.comparing(WalletCard::cardIdHex))
        .toList()) {
      CardholderId holder = cardholderOfCard.apply(card.cardIdHex());
      Optional<Rating> rating = holder == null ? Optional.empty() : store.ratingForNextTap(holder);
      if (rating.isEmpty()) {
        continue;
      }
      Rating r = rating.get();
      if (r.allowance().currency().numericCode() != currencyNumeric || r.allowance().amountMinor() > Integer.MAX_VALUE) {
        LOG.warn("Wallet rating not publishable [cardholder={}, date={}, currency={}]", holder.value(),
            r.businessDate(), r.allowance().currency().alphaCode());
        continue;
      }
      byte[] cardId = Hex.decode(card.cardIdHex());
      long version = versionOf(r.businessDate());
      int band = bandByte(r.band());
      int kinds = PurchaseKind.maskOf(r.splitKinds());
      byte[] mac = macs.mac(card.suite(), input(INPUT_RATING, cardId, version, band, r.allowance().amountMinor(), kinds,
          currencyNumeric));
      out.add(new WalletListFile.Rating(cardId, version, band, r.allowance().amountMinor(), kinds, mac));
    }
    return out;
  }

  /**
   * Verifies a confirmation a POS reported and, when it is genuine and names a rating this issuer
   * stored, marks that rating written. Nothing changes otherwise.
   */
  public Confirmation confirm(WalletDayFile.Confirmation reported) {
    byte[] input = reported.input();
    String cardIdHex = Hex.encode(Arrays.copyOfRange(input, 1, 9));
    Optional<WalletCard> card = cards.card(cardIdHex);
    CardholderId holder = card.isEmpty() ? null : cardholderOfCard.apply(cardIdHex);
    if (holder == null) {
      LOG.warn("Wallet rating confirmation of an unknown card refused");
      return Confirmation.UNKNOWN_CARD;
    }
    if (input.length != INPUT_LENGTH || input[0] != INPUT_CONFIRMATION
        || !macs.verifyConfirmation(card.get().suite(), input, reported.cardMac())) {
      LOG.warn("Wallet rating confirmation refused: not the card's MAC [card=****{}]", last4(cardIdHex));
      return Confirmation.MAC_INVALID;
    }
    ByteBuffer b = ByteBuffer.wrap(input, 9, 12);
    long version = b.getInt() & 0xFFFF_FFFFL;
    int band = b.get() & 0xFF;
    long allowance = b.getInt() & 0xFFFF_FFFFL;
    int kinds = b.get() & 0xFF;
    int currency = b.getShort() & 0xFFFF;
    LocalDate date = LocalDate.ofEpochDay(version);
    Optional<Rating> issued = store.rating(holder, date);
    if (issued.isEmpty() || !Arrays.equals(input, input(INPUT_CONFIRMATION, Hex.decode(cardIdHex), version,
        bandByte(issued.get().band()), issued.get().allowance().amountMinor(),
        PurchaseKind.maskOf(issued.get().splitKinds()), currencyNumeric))) {
      LOG.warn("Wallet rating confirmation names no issued rating [card=****{}, version={}, band={}, allowanceMinor={},"
          + " kinds={}, currency={}]", last4(cardIdHex), version, band, allowance, kinds, currency);
      return Confirmation.NOT_ISSUED;
    }
    if (!store.markWritten(holder, date, now.get())) {
      return Confirmation.REPEAT;
    }
    LOG.info("Wallet rating confirmed by the card [cardholder={}, date={}]", holder.value(), date);
    return Confirmation.MARKED_WRITTEN;
  }

  private static String last4(String cardIdHex) {
    return cardIdHex.substring(cardIdHex.length() - 4);
  }
}
