package io.iotpay.demo.wallet;

import io.iotpay.demo.pos.WalletPartChain;
import io.iotpay.bench.wallet.WalletIssuance;
import io.iotpay.foundation.card.CardGoneException;
import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.issuer.credit.PurchaseKind;
import io.iotpay.issuer.credit.Rating;
import io.iotpay.issuer.wallet.OnlinePartOutcome;
import io.iotpay.issuer.wallet.OnlinePartSource;
import io.iotpay.issuer.wallet.WalletRatings;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.phone.pos.WalletAcceptance;
import io.iotpay.terminal.wallet.CardState;
import io.iotpay.terminal.wallet.PurchaseRecord;
import io.iotpay.terminal.wallet.WalletKernel;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code iotpay demo wallet} (docs/demo-wallet.md): cardholders of both suites buy offline at
 * canteens, buses and shops, run short and split, load, with POSes whose link is down for hours,
 * POSes killed between storing and pushing, torn taps, failed online parts, days ending and lists
 * written back. Every figure of the report is read back from the issuer's ledger and records, the
 * POSes' journals and the cards.
 */
public final class WalletScenario {
  private static final String[] PLACES = {"canteen", "bus", "shop"};
  /** Each place's kind of purchase, as a bit of the rating's kinds mask. */
  private static final int[] KINDS = {PurchaseKind.CANTEEN.bit(), PurchaseKind.BUS.bit(), PurchaseKind.SHOP.bit()};
  private static final long[][] PRICES = {{600, 2_400}, {200, 400}, {1_000, 4_000}};
  private static final WalletIssuance.Limits LIMITS = new WalletIssuance.Limits(5_000, 20_000, 3_000, 20, 3);
  private static final long LOAD_MINOR = 3_000;
  /** What a cardholder with a linked bank account holds there at the start. */
  private static final long LINKED_MINOR = 20_000;

  private final WalletSettings settings;
  private final PrintStream progress;
  private final Random random;
  private long offline;
  private long split;
  private long declined;
  private long torn;
  private long restarts;
  private long loads;

  private WalletScenario(WalletSettings settings, PrintStream progress) {
    this.settings = settings;
    this.progress = progress;
    this.random = new Random(settings.seed());
  }

  public static WalletReport run(WalletSettings settings, PrintStream progress) {
    return new WalletScenario(settings, progress).run();
  }

  private WalletReport run() {
    Path dir = settings.dataDir().resolve("wallet");
    clear(dir);
    try (WalletNetwork network = new WalletNetwork(dir, settings.seed(), AlgorithmSuite.NATIONAL)) {
      // The online parts go as ISO 8583 0200s: POS (a terminal of the acquirer) → acquirer → switch → issuer.
      var scheme = network.pushThroughScheme(settings.pos() * AlgorithmSuite.values().length);
      List<WalletNetwork.Pos> poses = new ArrayList<>();
      for (int i = 0; i < settings.pos(); i++) {
        for (AlgorithmSuite suite : AlgorithmSuite.values()) {
          poses.add(network.openPos(PLACES[i % 3] + "-" + (i + 1) + "-" + suite.name().substring(0, 3).toLowerCase(
              java.util.Locale.ROOT), suite, WalletIds.pos(poses.size() + 1L), KINDS[i % 3]));
        }
      }
      // A merchant's phone of each suite accepts wallet cards too (the acquiring SDK's reader mode).
      List<WalletNetwork.PhonePos> phones = new ArrayList<>();
      for (AlgorithmSuite suite : AlgorithmSuite.values()) {
        phones.add(network.openPhonePos("phone-" + suite.name().substring(0, 3).toLowerCase(java.util.Locale.ROOT),
            suite, WalletIds.pos(poses.size() + phones.size() + 1L)));
      }
      List<WalletNetwork.Cardholder> cards = new ArrayList<>();
      long funded = 0;
      for (int i = 0; i < settings.cards(); i++) {
        AlgorithmSuite suite = AlgorithmSuite.values()[i % 2];
        // Every fourth cardholder keeps little online: their split parts fail.
        long online = i % 4 == 3 ? 500 : 20_000;
        // Every third cardholder pays with a phone (the wallet in its secure element, card emulation).
        WalletNetwork.Cardholder card = i % 3 == 1 ? network.issuePhoneCard(suite, WalletIds.card(i + 1L), LIMITS, online)
            : network.issueCard(suite, WalletIds.card(i + 1L), LIMITS, online);
        cards.add(card);
        funded += online;
        if (i % 8 == 3) {
          // Every other one of them has a bank account at the issuer linked to the card: it pays those parts.
          network.linkBankAccount(card, LINKED_MINOR);
          funded += LINKED_MINOR;
        }
      }
      progress.printf("demo wallet: %d cards (%d phones), %d POSes and %d phone POSes, %d days, seed %d%n",
          cards.size(), cards.stream().filter(WalletNetwork.Cardholder::phone).count(), poses.size(), phones.size(),
          settings.days(), settings.seed());
      for (int day = 1; day <= settings.days(); day++) {
        Set<WalletNetwork.Pos> down = new HashSet<>();
        for (WalletNetwork.Pos pos : poses) {
          if (random.nextInt(4) == 0) {
            down.add(pos); // offline for hours: pushes fail until the link is back
            pos.link().fault(IssuerLink.Fault.LINK_DOWN);
          }
        }
        for (int round = 0; round < 4; round++) {
          for (WalletNetwork.Cardholder card : cards) {
            List<WalletNetwork.Pos> mine = poses.stream().filter(p -> p.suite() == card.suite()).toList();
            WalletNetwork.Pos pos = mine.get(random.nextInt(mine.size()));
            funded += loadIfLow(network, pos, card);
            if (random.nextInt(4) == 0) {
              tapAtPhone(phones.get(card.suite().ordinal()), pos, card);
            } else {
              tap(pos, card);
            }
          }
          if (round == 1) {
            down.forEach(p -> p.link().fault(IssuerLink.Fault.NONE)); // the link is back after hours
            scheme.loseNextAnswer(random.nextInt(poses.size())); // one 0210 lost a day: that part is pushed again
          }
          for (WalletNetwork.Pos pos : poses) {
            pos.agent().pushPending();
          }
          for (WalletNetwork.PhonePos phone : phones) {
            phone.wallet().pushPending();
          }
        }
        // One POS is still offline at day end on odd days: its day is uploaded the day after.
        Set<WalletNetwork.Pos> missing = day % 2 == 1 && day < settings.days() ? Set.of(poses.get(day % poses.size()))
            : Set.of();
        network.endDay(missing);
        progress.printf("  day %d ended: list %d published, %d debits cleared so far%n", day, network.listsPublished(),
            network.dayEnd().clearedCount());
      }
      // Everything cleared, then the cards read.
      network.endDay(Set.of());
      return report(network, cards, poses, phones, funded);
    }
  }

  /** A cardholder short of offline value loads at {@code pos} first, sometimes; returns new money brought from the bank. */
  private long loadIfLow(WalletNetwork network, WalletNetwork.Pos pos, WalletNetwork.Cardholder card) {
    long brought = 0;
    CardState state = WalletKernel.readState(card.tap());
    if (state.balanceMinor() < 1_000 && !state.blocked() && random.nextInt(3) > 0) {
      if (network.balance(card.onlineAccount()) < LOAD_MINOR && random.nextBoolean()) {
        network.fundOnline(card, LOAD_MINOR);
        brought = LOAD_MINOR;
      }
      if (network.load(pos, card, LOAD_MINOR).isPresent()) {
        loads++;
      }
    }
    return brought;
  }

  /** One purchase tap of a cardholder at a counter-top POS. */
  private void tap(WalletNetwork.Pos pos, WalletNetwork.Cardholder card) {
    long price = price(placeOf(pos));
    if (random.nextInt(10) == 0) {
      restarts++;
      pos.restart(); // killed: whatever it stored but did not push is pushed after the restart
    }
    WalletKernel.Outcome outcome;
    try {
      if (random.nextInt(15) == 0) {
        torn++;
        pos.kernel().purchase(new TornChannel(card.tap(), 0x54), price);
      }
      outcome = pos.kernel().purchase(card.tap(), price);
    } catch (CardGoneException e) {
      outcome = pos.kernel().purchase(card.tap(), price); // the card tapped again
    }
    count(outcome);
  }

  /** One purchase tap at a merchant's phone (attested first), priced as at the shop of {@code near}'s place. */
  private void tapAtPhone(WalletNetwork.PhonePos phone, WalletNetwork.Pos near, WalletNetwork.Cardholder card) {
    if (random.nextInt(10) == 0) {
      restarts++;
      phone.restart(); // the merchant app killed: its stored parts are pushed after it opens again
    }
    WalletAcceptance.Payment payment = phone.wallet().purchase(price(placeOf(near)), card.tap());
    if (payment.outcome().isEmpty()) {
      declined++; // the acquirer refused the attestation: the card was never read
      return;
    }
    count(payment.outcome().get());
  }

  private long price(int place) {
    return PRICES[place][0] + random.nextLong(PRICES[place][1] - PRICES[place][0] + 1);
  }

  private void count(WalletKernel.Outcome outcome) {
    switch (outcome) {
      case WalletKernel.Outcome.Approved a when a.record().debit().onlineMinor() > 0 -> split++;
      case WalletKernel.Outcome.Approved a -> offline++;
      case WalletKernel.Outcome.Declined d -> declined++;
    }
  }

  private static int placeOf(WalletNetwork.Pos pos) {
    for (int i = 0; i < PLACES.length; i++) {
      if (pos.name().startsWith(PLACES[i])) {
        return i;
      }
    }
    return 0;
  }

  private WalletReport report(WalletNetwork network, List<WalletNetwork.Cardholder> cards,
      List<WalletNetwork.Pos> poses, List<WalletNetwork.PhonePos> phones, long funded) {
    long wallets = 0;
    long shadows = 0;
    long online = 0;
    long linked = 0;
    List<String> notes = new ArrayList<>();
    for (WalletNetwork.Cardholder card : cards) {
      CardState state = WalletKernel.readState(card.tap());
      if (!ratingIssued(network, card, state)) {
        notes.add("card ****" + card.idHex().substring(12) + " holds a rating the issuer did not issue");
      }
      wallets += state.balanceMinor();
      shadows += network.balance(card.shadowAccount());
      online += network.balance(card.onlineAccount());
      linked += network.linkedAccount(card).map(network::balance).orElse(0L);
    }
    long merchants = poses.stream().mapToLong(p -> network.balance(p.merchantAccount())).sum()
        + phones.stream().mapToLong(p -> network.balance(p.merchantAccount())).sum();
    long writtenBack = poses.stream().mapToLong(p -> p.kernel().writeBacksApplied()).sum()
        + phones.stream().mapToLong(p -> p.wallet().kernel().writeBacksApplied()).sum();
    // Read back from the POSes' journals (the phones' in their SDK directories): every stored purchase.
    List<PurchaseRecord> journalled = new ArrayList<>();
    poses.forEach(p -> journalled.addAll(p.journal().records()));
    phones.forEach(p -> journalled.addAll(p.wallet().journal().records()));
    Set<String> phoneCards = new HashSet<>();
    cards.stream().filter(WalletNetwork.Cardholder::phone).forEach(c -> phoneCards.add(c.idHex()));
    long phoneCardPurchases = journalled.stream()
        .filter(r -> phoneCards.contains(io.iotpay.foundation.codec.Hex.encode(r.debit().cardId()))).count();
    long phonePosPurchases = phones.stream().mapToLong(p -> p.wallet().journal().records().size()).sum();
    long completed = network.onlineParts().count(OnlinePartOutcome.COMPLETED);
    long failed = network.onlineParts().count(OnlinePartOutcome.FAILED);
    long fromLinked = network.onlineParts().completedFrom(OnlinePartSource.LINKED_ACCOUNT);
    long clearedOffline = journalled.stream().mapToLong(r -> r.debit().offlineMinor()).sum();
    long completedOnline = network.onlineParts().answered().stream()
        .filter(r -> r.outcome() == OnlinePartOutcome.COMPLETED).mapToLong(r -> r.amountMinor()).sum();
    AccountBalance funding = network.books().balance(WalletNetwork.FUNDING);
    boolean balanced = network.books().balanced();
    long ratingsWritten = network.credit().ratingsWritten();
    long ratingsConfirmedAtPos = poses.stream().mapToLong(p -> p.ratingLog().confirmations().size()).sum();
    if (ratingsWritten != ratingsConfirmedAtPos) {
      notes.add("ratings marked written " + ratingsWritten + " != confirmations the POSes logged "
          + ratingsConfirmedAtPos);
    }
    boolean ratingsIssued = notes.isEmpty();
    boolean conserved = wallets == shadows
        && funding.debitBalanceMinor() == funded
        && online + linked + shadows + merchants == funded
        && merchants == clearedOffline + completedOnline + network.dayEnd().debtsRecoveredMinor();
    if (!conserved) {
      notes.add("not conserved: wallets " + wallets + ", shadows " + shadows + ", online " + online + ", linked " + linked
          + ", merchants "
          + merchants + ", funded " + funded);
    }
    network.books().closeLedger();
    boolean audit = network.books().verifyAudit().verified();
    return new WalletReport(cards.size(), poses.size(), settings.days(), settings.seed(), phoneCards.size(),
        phones.size(), phoneCardPurchases, phonePosPurchases, offline, split, declined,
        torn, restarts, completed, fromLinked, failed, network.scheme().map(WalletPartChain::answersLost).orElse(0L), loads, network.listsPublished(), writtenBack, ratingsWritten, ratingsIssued,
        network.dayEnd().debtsRecoveredMinor(), network.dayEnd().detectMismatches().size(),
        network.dayEnd().blocked().size(), wallets, shadows, online, linked, merchants, funded, balanced, audit, conserved,
        notes);
  }

  /**
   * The card's rating is the personalised one (version 0) or exactly one the issuer stored for its
   * cardholder (band, allowance, kinds) and marked written on the card's confirmation.
   */
  private static boolean ratingIssued(WalletNetwork network, WalletNetwork.Cardholder card, CardState state) {
    if (state.ratingVersion() == 0) {
      return true;
    }
    java.util.Optional<Rating> issued = network.credit().issued(card.idHex(), state.ratingVersion());
    return issued.isPresent() && WalletRatings.bandByte(issued.get().band()) == state.rating()
        && issued.get().allowance().amountMinor() == state.allowanceMinor()
        && PurchaseKind.maskOf(issued.get().splitKinds()) == state.splitKinds()
        && network.credit().store().written(network.credit().cardholderOf(card.idHex()),
            java.time.LocalDate.ofEpochDay(state.ratingVersion()));
  }

  private static void clear(Path dir) {
    try {
      if (Files.exists(dir)) {
        try (Stream<Path> walk = Files.walk(dir)) {
          for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + dir, e);
    }
  }
}
