package io.iotpay.demo.wallet;

import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.store.Database;
import io.iotpay.issuer.credit.CardholderFacts;
import io.iotpay.issuer.credit.CardholderId;
import io.iotpay.issuer.credit.DailyFacts;
import io.iotpay.issuer.credit.FailedOnlinePart;
import io.iotpay.issuer.credit.InMemoryFactsSource;
import io.iotpay.issuer.credit.NightlyScoring;
import io.iotpay.issuer.credit.Rating;
import io.iotpay.issuer.credit.RatingStore;
import io.iotpay.issuer.credit.Scorecard;
import io.iotpay.issuer.credit.ScoringSummary;
import io.iotpay.issuer.credit.SqlRatingStore;
import io.iotpay.issuer.wallet.SignedOnlinePart;
import io.iotpay.issuer.wallet.WalletDayEnd;
import io.iotpay.issuer.wallet.WalletOnlineParts;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The issuer's credit system as the wallet demo runs it (docs/credit.md): each day end turns what
 * the issuer's own records say about each cardholder — the offline debits it cleared, the loads it
 * authorised, the online account's balance, the online parts that failed and when their debt was
 * recovered — into daily facts, and the nightly run scores every cardholder into the issuer's
 * {@code credit_rating} table ({@link SqlRatingStore}), from where the ratings go to the cards.
 */
final class WalletCredit {
  private final RatingStore store;
  private final NightlyScoring scoring = new NightlyScoring(Scorecard.standard(), new NightlyScoring.Settings(1, 1,
      5_000, 16));
  private final Map<String, Holder> holders = new LinkedHashMap<>();
  private final List<LocalDate> scoredDates = new ArrayList<>();

  /** One cardholder's facts as the issuer gathers them. */
  private static final class Holder {
    final CardholderId id;
    final LocalDate issuedOn;
    final TreeMap<LocalDate, DailyFacts> days = new TreeMap<>();
    final Map<Long, LocalDate> failedOn = new HashMap<>();
    final Map<Long, LocalDate> recoveredOn = new HashMap<>();
    WalletDayEnd.ClearedTotals clearedBefore = new WalletDayEnd.ClearedTotals(0, 0);
    int loadsToday;
    long loadsTodayMinor;

    Holder(CardholderId id, LocalDate issuedOn) {
      this.id = id;
      this.issuedOn = issuedOn;
    }
  }

  WalletCredit(Database database) {
    this.store = new SqlRatingStore(database);
  }

  RatingStore store() {
    return store;
  }

  /** A new cardholder for the card, numbered in issue order. */
  void enrol(String cardIdHex, LocalDate issuedOn) {
    holders.put(cardIdHex, new Holder(CardholderId.of(holders.size() + 1L), issuedOn));
  }

  /** The cardholder of a card, or null for a card the credit system does not know. */
  CardholderId cardholderOf(String cardIdHex) {
    Holder holder = holders.get(cardIdHex);
    return holder == null ? null : holder.id;
  }

  /** A load the issuer authorised; a debt brought to 0 recovers every failed part of the card known so far. */
  void loaded(String cardIdHex, long amountMinor, long debtBeforeMinor, long debtAfterMinor, LocalDate date) {
    Holder holder = holders.get(cardIdHex);
    holder.loadsToday++;
    holder.loadsTodayMinor += amountMinor;
    if (debtBeforeMinor > 0 && debtAfterMinor == 0) {
      holder.failedOn.keySet().forEach(counter -> holder.recoveredOn.putIfAbsent(counter, date));
    }
  }

  /**
   * The night after {@code date}: the day's facts from the issuer's records, then every cardholder
   * scored as of {@code date}. Returns the run's summary.
   */
  ScoringSummary endOfDay(LocalDate date, WalletDayEnd dayEnd, WalletOnlineParts parts,
      java.util.function.ToLongFunction<String> onlineBalanceOfCard) {
    List<CardholderFacts> facts = new ArrayList<>();
    for (Map.Entry<String, Holder> e : holders.entrySet()) {
      Holder holder = e.getValue();
      WalletDayEnd.ClearedTotals cleared = dayEnd.clearedTotals(e.getKey());
      int purchases = (int) (cleared.debits() - holder.clearedBefore.debits());
      long purchasesMinor = cleared.offlineMinor() - holder.clearedBefore.offlineMinor();
      holder.clearedBefore = cleared;
      holder.days.put(date, new DailyFacts(date, purchases, purchases == 0 ? 0 : purchasesMinor, holder.loadsToday,
          holder.loadsTodayMinor, 0, onlineBalanceOfCard.applyAsLong(e.getKey())));
      holder.loadsToday = 0;
      holder.loadsTodayMinor = 0;
      List<FailedOnlinePart> failed = new ArrayList<>();
      for (SignedOnlinePart part : parts.failed(e.getKey())) {
        LocalDate failedOn = holder.failedOn.computeIfAbsent(part.counter(), c -> date);
        failed.add(new FailedOnlinePart(part.counter(), failedOn, part.onlineMinor(),
            holder.recoveredOn.get(part.counter())));
      }
      facts.add(new CardholderFacts(holder.id, CurrencyUnit.CNY, holder.issuedOn, List.copyOf(holder.days.values()),
          failed));
    }
    ScoringSummary summary = scoring.run(date, InMemoryFactsSource.of(facts), store, (rated, total) -> { });
    scoredDates.add(date);
    return summary;
  }

  /** Ratings the cards confirmed and the issuer marked written, over every night scored. */
  long ratingsWritten() {
    long written = 0;
    for (Holder holder : holders.values()) {
      for (LocalDate date : scoredDates) {
        if (store.written(holder.id, date)) {
          written++;
        }
      }
    }
    return written;
  }

  /** The rating the issuer stored for the card's cardholder on the date its version names. */
  Optional<Rating> issued(String cardIdHex, long version) {
    Holder holder = holders.get(cardIdHex);
    return holder == null ? Optional.empty() : store.rating(holder.id, LocalDate.ofEpochDay(version));
  }
}
