package io.iotpay.bench.clearing;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.crypto.EmvKeyDerivation;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.issuer.Issuer;
import io.iotpay.issuer.IssuerConfig;
import io.iotpay.issuer.card.IssuerMasterKeys;
import io.iotpay.issuer.RiderAccountKind;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.LedgerConfig;
import io.iotpay.ledger.TransferResult;
import io.iotpay.ledger.audit.AuditJournal;
import io.iotpay.foundation.store.Database;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.transit.CardRange;
import io.iotpay.switching.SwitchConfig;
import io.iotpay.switching.transit.TransitSwitch;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * The parties of the benchmark on one durable SQLite ledger: a switch, two issuers (ranges 621
 * and 622, cards of both suites on each), two metro operators; the cards issued in bulk on a few
 * debit rider accounts per issuer that are funded well above a day's fares. Holds every card's PAN,
 * suite and AC key (derived here by EMV option A from the issuer's IMK-AC, independently of the
 * issuer's own code) so the generator can compute genuine TACs.
 */
final class BenchParties implements AutoCloseable {
  static final PartyId SWITCH = PartyId.of("SWITCH");
  static final List<PartyId> ISSUERS = List.of(PartyId.of("ISSUER-A"), PartyId.of("ISSUER-B"));
  static final List<PartyId> OPERATORS = List.of(PartyId.of("METRO-A"), PartyId.of("METRO-B"));
  private static final List<String> PREFIXES = List.of("621", "622");
  /** Rider accounts per issuer at most; cards share them (family and corporate accounts). */
  private static final int ACCOUNTS_PER_ISSUER_MAX = 64;
  /** Each rider account's deposit: far above what a day of fares can take. */
  private static final long DEPOSIT_MINOR = 1_000_000_000_000L;

  final Database database;
  final Ledger ledger;
  final TransitSwitch transitSwitch;
  final List<Issuer> issuers = new ArrayList<>();
  final Map<AlgorithmSuite, SecretKeyBytes>[] imkAc;
  /** Card c: its PAN, suite and AC key (16 bytes at c × 16); issuer = c mod 2. */
  final Pan[] pans;
  final AlgorithmSuite[] suites;
  final byte[] acKeys;

  @SuppressWarnings("unchecked")
  BenchParties(Path directory, int cardCount, Consumer<String> progress) {
    this.database = Database.open("jdbc:sqlite:" + directory.resolve("bench.db"), 4);
    this.ledger = Ledger.open(database, LedgerConfig.defaults(), Clock.systemUTC(), AuditJournal.none());
    List<CardRange> ranges = List.of(new CardRange(PREFIXES.get(0), ISSUERS.get(0)),
        new CardRange(PREFIXES.get(1), ISSUERS.get(1)));
    this.transitSwitch = new TransitSwitch(SwitchConfig.of(SWITCH, 30, 30_000, 3_000_000_000L, ranges, OPERATORS),
        ledger, database, directory.resolve("switch"));
    this.imkAc = new Map[ISSUERS.size()];
    this.pans = new Pan[cardCount];
    this.suites = new AlgorithmSuite[cardCount];
    this.acKeys = new byte[cardCount * 16];
    Random random = new Random(20261120L);
    for (int k = 0; k < ISSUERS.size(); k++) {
      openIssuer(k, ranges.get(k), random, cardCount);
      progress.accept("issuer " + ISSUERS.get(k) + ": " + cardsOf(k, cardCount) + " cards issued");
    }
    IntStream.range(0, cardCount).parallel().forEach(this::deriveAcKey);
    progress.accept("card keys derived: " + cardCount);
  }

  private void openIssuer(int k, CardRange range, Random random, int cardCount) {
    Map<AlgorithmSuite, IssuerMasterKeys> masters = new EnumMap<>(AlgorithmSuite.class);
    Map<AlgorithmSuite, SecretKeyBytes> ac = new EnumMap<>(AlgorithmSuite.class);
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      IssuerMasterKeys keys = new IssuerMasterKeys(key(random), key(random), key(random));
      masters.put(suite, keys);
      ac.put(suite, keys.imkAc());
    }
    imkAc[k] = ac;
    IssuerConfig config = IssuerConfig.defaults(ISSUERS.get(k), 10 + k, 1_000_000L * (k + 1), List.of(range));
    Issuer issuer = new Issuer(config, masters, key(random), database, ledger);
    issuers.add(issuer);
    int cards = cardsOf(k, cardCount);
    int accounts = Math.max(1, Math.min(ACCOUNTS_PER_ISSUER_MAX, cards));
    List<List<Pan>> byAccount = new ArrayList<>();
    for (int a = 0; a < accounts; a++) {
      long accountId = issuer.openRiderAccount(a + 1, RiderAccountKind.DEBIT, 0);
      TransferResult deposit = issuer.deposit(5_000_000_000L + 1000L * k + a, accountId, DEPOSIT_MINOR);
      if (deposit != TransferResult.OK) {
        throw new IllegalStateException("bench: deposit refused: " + deposit);
      }
      int count = cards / accounts + (a < cards % accounts ? 1 : 0);
      byAccount.add(issuer.issueCards(AlgorithmSuite.values()[a % 2], accountId, count));
    }
    // Card position p of this issuer = account p mod A, its (p div A)-th card: suites interleave.
    for (int p = 0; p < cards; p++) {
      int c = p * ISSUERS.size() + k;
      pans[c] = byAccount.get(p % accounts).get(p / accounts);
      suites[c] = AlgorithmSuite.values()[(p % accounts) % 2];
    }
  }

  /** Cards of issuer k when card c belongs to issuer c mod 2. */
  static int cardsOf(int k, int cardCount) {
    return (cardCount - k + ISSUERS.size() - 1) / ISSUERS.size();
  }

  private void deriveAcKey(int c) {
    SecretKeyBytes key = EmvKeyDerivation.cardMasterKey(suites[c], imkAc[c % ISSUERS.size()].get(suites[c]),
        pans[c].digits(), "01");
    System.arraycopy(key.value(), 0, acKeys, c * 16, 16);
  }

  private static SecretKeyBytes key(Random random) {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return new SecretKeyBytes(bytes);
  }

  /** For every book: posted debits equal posted credits. */
  boolean booksBalanced() {
    Map<Long, long[]> books = new HashMap<>();
    for (AccountBalance balance : ledger.balances().values()) {
      long[] sums = books.computeIfAbsent(balance.account().bookId(), b -> new long[2]);
      sums[0] += balance.debitsPostedMinor();
      sums[1] += balance.creditsPostedMinor();
    }
    return books.values().stream().allMatch(sums -> sums[0] == sums[1]);
  }

  /** What issuer k owes the switch after clearing (credit balance of its due-to-switch account). */
  long dueToSwitchMinor(int k) {
    return ledger.balance(issuers.get(k).dueToSwitchAccountId()).map(AccountBalance::creditBalanceMinor).orElse(0L);
  }

  @Override
  public void close() {
    transitSwitch.close();
    ledger.close();
    database.close();
  }
}
