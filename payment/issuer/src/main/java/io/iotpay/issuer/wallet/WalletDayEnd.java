package io.iotpay.issuer.wallet;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.AccountBalance;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.WalletDayFile;
import io.iotpay.protocol.file.WalletListFile;
import io.iotpay.protocol.pki.FileClaims;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.pki.SignedFileException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wallet issuer's day end (docs/wallet.md §3–4): each POS's signed day file verified before a
 * byte is parsed, every offline debit's TAC verified under the card's key derived by the issuer
 * (the card's signature stays for the PSAM and for disputes) and cleared once (card id and counter)
 * from the card's shadow account to the POS's merchant, online parts matched (one the POS
 * has not yet pushed is applied from the file), the card's signed balance after each debit checked
 * against the shadow books, and the signed list of outcomes, blocked cards and new ratings
 * published; the cards' rating confirmations in a day file are handed to {@link WalletRatings}.
 *
 * <p>The scheme's rule for a failed online part: the card's first failed part becomes debt
 * (outcome 02), recovered at its next load; a second failed part while debt is unrecovered blocks
 * the card (outcome 03). A card whose signed balances disagree with its shadow account is blocked.
 *
 * <p>Its state is kept in the issuer's database ({@link WalletDayEndStore}) and loaded on start; the
 * postings of a batch or a load are recorded PLANNED in the same transaction as the records they
 * carry, then submitted under transfer ids derived from their posting numbers, then marked POSTED. At
 * start, postings still PLANNED (a crash came between) are submitted again: the ledger answers a
 * repeat OK without applying it twice (docs/wallet.md §3.3). Not thread-safe; one day end at a time.
 */
public final class WalletDayEnd {
  private static final Logger LOG = LoggerFactory.getLogger(WalletDayEnd.class);
  private static final long WAIT_S = 30;
  /** Transfers submitted to the ledger at once (within the ledger's default batch bound). */
  private static final int BATCH = 1_000;

  private final WalletOnlineParts parts;
  private final Ledger ledger;
  private final FileTrust trust;
  private final WriteBackSigner writeBacks;
  private final WalletTacVerifier tacs;
  private final long clearingAccountId;
  private final java.util.function.Function<String, Long> merchantAccountOfPos;
  private final java.util.function.LongUnaryOperator transferIdOf;
  private final WalletDayEndStore store;
  private long lastPostingId;
  private long lastLoadId;
  /** Null: no ratings published, confirmations in day files skipped. */
  private final WalletRatings ratings;
  /** sender/date/sequence of each day file taken. */
  private final Set<String> acceptedDays = new HashSet<>();
  /** card id → counter → cleared debit. */
  private final Map<String, TreeMap<Long, Cleared>> cleared = new HashMap<>();
  /** card id → loads with the card counter at the load and the value that reached the balance. */
  private final Map<String, List<Load>> loads = new HashMap<>();
  /** card id → debt outstanding per failed part (counter → minor units still owed to its merchant). */
  private final Map<String, TreeMap<Long, Owed>> debts = new HashMap<>();
  private final Set<String> blocked = new LinkedHashSet<>();
  private final Set<String> mismatched = new LinkedHashSet<>();
  private long debtsRecoveredMinor;
  private long listVersion;

  private record Cleared(long offlineMinor, long balanceAfterMinor) {}

  private record Load(long counterAtLoad, long creditedMinor) {}

  private static final class Owed {
    long minor;
    final long merchant;

    Owed(long minor, long merchant) {
      this.minor = minor;
      this.merchant = merchant;
    }
  }

  /** What one day file did; {@code ratingsConfirmed} ratings were marked written from its confirmations. */
  public record Clearing(String pos, int purchases, int cleared, int repeats, long offlineMinor,
      int onlinePartsApplied, int ratingsConfirmed) {}

  /**
   * What a batch of day files did: the clearing of each accepted file, in the order given, and each
   * refused file with its typed refusal ({@link SignedFileException} or another {@link ProtocolException}, or
   * {@link UncheckedIOException} when unreadable).
   */
  public record Batch(List<Clearing> clearings, Map<Path, RuntimeException> refused) {
    public Batch {
      clearings = List.copyOf(clearings);
      refused = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(refused));
    }
  }

  /**
   * @param tacs checks each debit's TAC (the card's symmetric proof) under the issuer's key custody
   * @param clearingAccountId the issuer's wallet clearing account in the same book (no flags needed):
   *     each batch moves the cards' debits into it and out to the merchants, so it is zero between batches
   * @param merchantAccountOfPos the merchant account of a POS id (hex), null when unknown; called from
   *     several threads at once during {@link #clearAll}
   * @param transferIdOf maps a posting number (from 1, kept in the database) to a ledger transfer id
   *     unique in the issuer's book: the same posting always gets the same transfer id, so a posting
   *     submitted again after a crash is a repeat
   * @param ratings may be null: no ratings published, confirmations in day files skipped
   * @throws IllegalStateException when the stored state cannot be read or a posting left PLANNED by a
   *     crash is refused by the ledger
   */
  public WalletDayEnd(Database database, WalletOnlineParts parts, Ledger ledger, FileTrust trust,
      WriteBackSigner writeBacks, WalletTacVerifier tacs, long clearingAccountId,
      java.util.function.Function<String, Long> merchantAccountOfPos, java.util.function.LongUnaryOperator transferIdOf,
      WalletRatings ratings) {
    this.ratings = ratings;
    this.parts = Assert.notNull(parts, "parts");
    this.ledger = Assert.notNull(ledger, "ledger");
    this.trust = Assert.notNull(trust, "trust");
    this.writeBacks = Assert.notNull(writeBacks, "writeBacks");
    this.tacs = Assert.notNull(tacs, "tacs");
    this.clearingAccountId = clearingAccountId;
    this.merchantAccountOfPos = Assert.notNull(merchantAccountOfPos, "merchantAccountOfPos");
    this.transferIdOf = Assert.notNull(transferIdOf, "transferIdOf");
    this.store = new WalletDayEndStore(database);
    reload();
    List<WalletDayEndStore.Posting> planned = store.planned();
    if (!planned.isEmpty()) {
      LOG.warn("Wallet day-end postings left planned by a crash, submitted again [postings={}]", planned.size());
      postAndMark(planned);
    }
  }

  /** Replaces the state held in memory by the stored one (at start, and after a write that failed). */
  private void reload() {
    WalletDayEndStore.Snapshot stored = store.load();
    acceptedDays.clear();
    cleared.clear();
    loads.clear();
    debts.clear();
    blocked.clear();
    mismatched.clear();
    for (WalletDayEndStore.DayFile day : stored.days()) {
      acceptedDays.add(key(day.sender(), day.businessDate(), day.sequence()));
    }
    for (WalletDayEndStore.ClearedDebit d : stored.cleared()) {
      cleared.computeIfAbsent(d.cardIdHex(), k -> new TreeMap<>()).put(d.counter(),
          new Cleared(d.offlineMinor(), d.balanceAfterMinor()));
    }
    for (WalletDayEndStore.LoadRow load : stored.loads()) {
      loads.computeIfAbsent(load.cardIdHex(), k -> new ArrayList<>()).add(new Load(load.counterAtLoad(), load.creditedMinor()));
    }
    for (WalletDayEndStore.Debt debt : stored.debts()) {
      debts.computeIfAbsent(debt.cardIdHex(), k -> new TreeMap<>()).put(debt.counter(),
          new Owed(debt.owedMinor(), debt.merchantAccountId()));
    }
    blocked.addAll(stored.blocked());
    mismatched.addAll(stored.mismatched());
    listVersion = stored.listVersion();
    debtsRecoveredMinor = stored.debtsRecoveredMinor();
    lastPostingId = stored.lastPostingId();
    lastLoadId = stored.lastLoadId();
  }

  /**
   * Verifies and clears one POS's day file: {@link #clearAll} of this one file. A refused file
   * changes nothing.
   *
   * @throws SignedFileException when the signature or its claims are refused
   * @throws ProtocolException when the file is malformed
   * @throws UncheckedIOException when the file cannot be read
   */
  public Clearing clear(Path dayFile) {
    Batch batch = clearAll(List.of(dayFile));
    RuntimeException refusal = batch.refused().get(dayFile);
    if (refusal != null) {
      throw refusal;
    }
    return batch.clearings().get(0);
  }

  /**
   * Verifies and clears a batch of day files (docs/wallet.md §3). First, in parallel over the files
   * and touching nothing this batch changes: each file's signature before a byte is parsed, its lines,
   * each debit's TAC. Then, in the order given: each line cleared once by card id and counter, the
   * file's online parts matched and its rating confirmations handed on. The offline amounts are posted
   * aggregated: one transfer per card from its shadow account to the clearing account, then one per
   * merchant from the clearing account, in batches of {@link #BATCH}. A refused file changes nothing
   * and does not stop the others; the same file twice in one batch is REPLAYED the second time.
   */
  public Batch clearAll(List<Path> dayFiles) {
    List<Checked> checked = dayFiles.parallelStream().map(this::check).toList();
    Map<Path, RuntimeException> refused = new LinkedHashMap<>();
    List<Checked> accepted = new ArrayList<>();
    Set<String> inBatch = new HashSet<>();
    for (Checked c : checked) {
      if (c.refusal() != null) {
        refused.put(c.file(), c.refusal());
      } else if (!inBatch.add(key(c.claims()))) {
        refused.put(c.file(), new SignedFileException(SignedFileException.Reason.REPLAYED,
            "the same day file twice in one batch: " + key(c.claims())));
      } else {
        accepted.add(c);
      }
    }
    Postings postings = new Postings();
    List<WalletDayEndStore.ClearedDebit> records = new ArrayList<>();
    List<Clearing> clearings = new ArrayList<>();
    List<WalletDayEndStore.Posting> planned;
    try {
      for (Checked c : accepted) {
        Clearing done = clearLines(c, postings, records);
        // Before the record: a confirmation marked twice is a REPEAT, one recorded never marked would be lost.
        int confirmed = confirmRatings(c.claims(), c.confirmations());
        clearings.add(new Clearing(done.pos(), done.purchases(), done.cleared(), done.repeats(), done.offlineMinor(),
            done.onlinePartsApplied(), confirmed));
      }
      planned = postings.plan();
      long recordStart = System.nanoTime();
      store.recordBatch(accepted.stream().map(c -> new WalletDayEndStore.DayFile(c.claims().sender().value(),
          c.claims().businessDate(), c.claims().sequence(), c.digest())).toList(), records, planned);
      LOG.info("Wallet day files recorded [files={}, debits={}, postings={}, recordMs={}]", accepted.size(),
          records.size(), planned.size(), (System.nanoTime() - recordStart) / 1_000_000);
    } catch (RuntimeException e) {
      reload(); // nothing of this batch was recorded: forget what it cleared in memory too
      throw e;
    }
    for (Checked c : accepted) {
      acceptedDays.add(key(c.claims()));
    }
    long before = clearingBalance();
    postAndMark(planned);
    Assert.that(clearingBalance() == before, "wallet clearing account moved by a batch [account={}]", clearingAccountId);
    return new Batch(clearings, refused);
  }

  /**
   * One file after the parallel phase: refused, or verified and read into its lines (with their
   * verdicts) and confirmations; the parsed purchases are not kept, so a batch holds little per debit.
   */
  private record Checked(Path file, FileClaims claims, byte[] digest, Line[] lines,
      List<WalletDayFile.Confirmation> confirmations, RuntimeException refusal) {}

  /**
   * One purchase line as the parallel phase read it from the card's bytes; {@code refusal} is null
   * when the card and the POS are known and the TAC is the card's; {@code onlinePart} is the
   * card-signed debit when it has an online part, else null.
   */
  private record Line(String cardIdHex, long counter, long offlineMinor, long onlineMinor, long balanceAfterMinor,
      WalletCard card, Long merchant, String refusal, SignedOnlinePart onlinePart) {}

  private Checked check(Path dayFile) {
    try {
      io.iotpay.protocol.pki.VerifiedFile verified = trust.verifier().verify(dayFile, FileKind.WALLET_DAY,
          c -> acceptedDays.contains(key(c)));
      FileClaims claims = verified.claims();
      WalletDayFile.Read read;
      try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(dayFile), 1 << 16)) {
        read = WalletDayFile.read(in, FileLimits.defaults());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + dayFile, e);
      }
      List<WalletDayFile.Purchase> purchases = read.purchases();
      Line[] lines = new Line[purchases.size()];
      for (int i = 0; i < lines.length; i++) {
        lines[i] = line(purchases.get(i));
      }
      return new Checked(dayFile, claims, verified.digest(), lines, read.confirmations(), null);
    } catch (ProtocolException | UncheckedIOException e) {
      LOG.warn("Wallet day file refused [file={}, reason={}]", dayFile.getFileName(), e.getMessage());
      return new Checked(dayFile, null, null, null, null, e);
    }
  }

  private Line line(WalletDayFile.Purchase p) {
    byte[] input = p.signedDebit();
    ByteBuffer b = ByteBuffer.wrap(input);
    String cardIdHex = Hex.encode(Arrays.copyOfRange(input, 1, 9));
    WalletCard card = parts.card(cardIdHex).orElse(null);
    Long merchant = merchantAccountOfPos.apply(Hex.encode(Arrays.copyOfRange(input, 27, 35)));
    String refusal = card == null ? "unknown card"
        : merchant == null ? "unknown POS"
        : !tacs.verify(card.suite(), input, p.tac()) ? "TAC invalid" : null;
    long onlineMinor = b.getInt(17) & 0xFFFF_FFFFL;
    return new Line(cardIdHex, b.getInt(9) & 0xFFFF_FFFFL, b.getInt(13) & 0xFFFF_FFFFL, onlineMinor,
        b.getInt(21) & 0xFFFF_FFFFL, card, merchant, refusal,
        onlineMinor > 0 ? new SignedOnlinePart(input, p.cardSignature()) : null);
  }

  private Clearing clearLines(Checked c, Postings postings, List<WalletDayEndStore.ClearedDebit> records) {
    int done = 0;
    int repeats = 0;
    int applied = 0;
    long offline = 0;
    Line[] lines = c.lines();
    for (int i = 0; i < lines.length; i++) {
      Line line = lines[i];
      if (line.refusal() != null) {
        LOG.warn("Wallet day file line not genuine, not cleared [pos={}, counter={}, reason={}]",
            c.claims().sender().value(), line.counter(), line.refusal());
        continue;
      }
      TreeMap<Long, Cleared> mine = cleared.computeIfAbsent(line.cardIdHex(), k -> new TreeMap<>());
      if (mine.putIfAbsent(line.counter(), new Cleared(line.offlineMinor(), line.balanceAfterMinor())) != null) {
        repeats++;
        continue;
      }
      records.add(new WalletDayEndStore.ClearedDebit(line.cardIdHex(), line.counter(), line.offlineMinor(),
          line.balanceAfterMinor()));
      postings.add(line.card().shadowAccountId(), line.merchant(), line.offlineMinor());
      offline += line.offlineMinor();
      done++;
      if (line.onlineMinor() > 0 && parts.outcome(line.cardIdHex(), line.counter()).isEmpty()) {
        parts.apply(line.onlinePart());
        applied++;
      }
    }
    return new Clearing(c.claims().sender().value(), lines.length, done, repeats, offline, applied, 0);
  }

  /** A batch's offline amounts, summed per card (shadow account) and per merchant. */
  private final class Postings {
    private final Map<Long, Long> byCard = new LinkedHashMap<>();
    private final Map<Long, Long> byMerchant = new LinkedHashMap<>();

    void add(long shadow, long merchant, long minor) {
      if (minor > 0) {
        byCard.merge(shadow, minor, Math::addExact);
        byMerchant.merge(merchant, minor, Math::addExact);
      }
    }

    /**
     * Numbers the postings: cards into the clearing account first (its credits), then out to the
     * merchants; submitted in that order. Nothing is stored until the batch is recorded.
     */
    List<WalletDayEndStore.Posting> plan() {
      List<WalletDayEndStore.Posting> planned = new ArrayList<>(byCard.size() + byMerchant.size());
      long[] next = {lastPostingId};
      byCard.forEach((shadow, minor) -> planned.add(new WalletDayEndStore.Posting(++next[0], shadow, clearingAccountId, minor)));
      byMerchant.forEach((merchant, minor) ->
          planned.add(new WalletDayEndStore.Posting(++next[0], clearingAccountId, merchant, minor)));
      lastPostingId = next[0];
      return planned;
    }
  }

  private long clearingBalance() {
    return ledger.balance(clearingAccountId).map(AccountBalance::creditBalanceMinor).orElse(0L);
  }

  private int confirmRatings(FileClaims claims, List<WalletDayFile.Confirmation> confirmations) {
    if (ratings == null) {
      if (!confirmations.isEmpty()) {
        LOG.warn("Wallet rating confirmations skipped: no rating service [pos={}, confirmations={}]",
            claims.sender().value(), confirmations.size());
      }
      return 0;
    }
    int marked = 0;
    for (WalletDayFile.Confirmation c : confirmations) {
      if (ratings.confirm(c) == WalletRatings.Confirmation.MARKED_WRITTEN) {
        marked++;
      }
    }
    return marked;
  }

  /**
   * Records a load the issuer authorised: the card's counter at the load and the card's debt before
   * and after it. The debt recovered is paid from the shadow account to the merchants owed, oldest first.
   */
  public void loaded(String cardIdHex, long counterAtLoad, long amountMinor, long debtBeforeMinor, long debtAfterMinor) {
    long recovered = debtBeforeMinor - debtAfterMinor;
    WalletCard card = parts.card(cardIdHex).orElseThrow();
    List<WalletDayEndStore.Posting> planned = new ArrayList<>();
    try {
      Load load = new Load(counterAtLoad, amountMinor - recovered);
      loads.computeIfAbsent(cardIdHex, k -> new ArrayList<>()).add(load);
      TreeMap<Long, Owed> owedByCounter = debts.computeIfAbsent(cardIdHex, k -> new TreeMap<>());
      for (SignedOnlinePart failed : parts.failed(cardIdHex)) {
        // Owed from the moment the part failed, whether or not the POS's day file was cleared yet.
        owedByCounter.computeIfAbsent(failed.counter(),
            k -> new Owed(failed.onlineMinor(), merchantAccountOfPos.apply(failed.posIdHex())));
      }
      long left = recovered;
      for (Owed owed : owedByCounter.values()) {
        long pay = Math.min(left, owed.minor);
        if (pay > 0) {
          planned.add(new WalletDayEndStore.Posting(lastPostingId + planned.size() + 1, card.shadowAccountId(),
              owed.merchant, pay));
          owed.minor -= pay;
          left -= pay;
        }
      }
      debtsRecoveredMinor += recovered - left;
      List<WalletDayEndStore.Debt> debtsNow = new ArrayList<>();
      owedByCounter.forEach((counter, owed) ->
          debtsNow.add(new WalletDayEndStore.Debt(cardIdHex, counter, owed.minor, owed.merchant)));
      store.recordLoad(new WalletDayEndStore.LoadRow(lastLoadId + 1, cardIdHex, load.counterAtLoad(),
          load.creditedMinor()), debtsNow, debtsRecoveredMinor, planned);
      lastLoadId++;
      lastPostingId += planned.size();
    } catch (RuntimeException e) {
      reload(); // the load was not recorded: forget it in memory too
      throw e;
    }
    postAndMark(planned);
  }

  /**
   * Checks every card's signed balances against its books: for each cleared debit whose earlier
   * counters are all cleared, the card's balance after it must equal the value loaded before it
   * less every offline debit up to it. A card that disagrees is listed and blocked.
   */
  public Set<String> detectMismatches() {
    List<String> newlyMismatched = new ArrayList<>();
    List<String> newlyBlocked = new ArrayList<>();
    for (Map.Entry<String, TreeMap<Long, Cleared>> e : cleared.entrySet()) {
      long offlineSoFar = 0;
      long expectedCounter = 1;
      // The card's loads in counter order, summed as the debits' counters pass them.
      List<Load> cardLoads = new ArrayList<>(loads.getOrDefault(e.getKey(), List.of()));
      cardLoads.sort(java.util.Comparator.comparingLong(Load::counterAtLoad));
      int nextLoad = 0;
      long loadedBefore = 0;
      for (Map.Entry<Long, Cleared> c : e.getValue().entrySet()) {
        if (c.getKey() != expectedCounter) {
          break; // a gap: a debit not uploaded yet
        }
        offlineSoFar += c.getValue().offlineMinor();
        long counter = c.getKey();
        while (nextLoad < cardLoads.size() && cardLoads.get(nextLoad).counterAtLoad() < counter) {
          loadedBefore += cardLoads.get(nextLoad++).creditedMinor();
        }
        if (loadedBefore - offlineSoFar != c.getValue().balanceAfterMinor()) {
          if (mismatched.add(e.getKey())) {
            newlyMismatched.add(e.getKey());
            LOG.warn("Wallet and shadow account disagree [card=****{}, counter={}]", last4(e.getKey()), counter);
          }
          if (blocked.add(e.getKey())) {
            newlyBlocked.add(e.getKey());
          }
          break;
        }
        expectedCounter++;
      }
    }
    try {
      store.recordMarks(WalletDayEndStore.Mark.MISMATCHED, newlyMismatched);
      store.recordMarks(WalletDayEndStore.Mark.BLOCKED, newlyBlocked);
    } catch (RuntimeException e) {
      reload();
      throw e;
    }
    return Set.copyOf(mismatched);
  }

  /**
   * Builds and signs the list for every POS: allow lines for completed parts, deny lines for failed
   * ones (debt, or block by the rule above), blocked cards. Returns the file; its signature is beside it.
   */
  public Path publishList(Path file, PartyId receiver, LocalDate businessDate) {
    List<WalletListFile.Entry> entries = new ArrayList<>();
    Map<String, Integer> failedSoFar = new HashMap<>();
    List<String> newlyBlocked = new ArrayList<>();
    for (OnlinePartRow row : parts.answered()) {
      int outcome;
      if (row.outcome() == OnlinePartOutcome.COMPLETED) {
        outcome = 1;
      } else if (row.outcome() == OnlinePartOutcome.FAILED) {
        int failures = failedSoFar.merge(row.cardIdHex(), 1, Integer::sum);
        outcome = failures >= 2 ? 3 : 2;
        if (outcome == 3 && blocked.add(row.cardIdHex())) {
          newlyBlocked.add(row.cardIdHex());
        }
      } else {
        continue;
      }
      WalletCard card = parts.card(row.cardIdHex()).orElseThrow();
      byte[] cardId = Hex.decode(row.cardIdHex());
      byte[] input = ByteBuffer.allocate(18).put((byte) 0x41).put(cardId).putInt((int) row.counter())
          .putInt((int) row.amountMinor()).put((byte) outcome).array();
      entries.add(new WalletListFile.Entry(outcome == 1 ? 'A' : 'D', cardId, row.counter(), row.amountMinor(), outcome,
          writeBacks.sign(card.suite(), input)));
    }
    for (String card : blocked) {
      entries.add(new WalletListFile.Entry('B', Hex.decode(card), 0, 0, 0, new byte[0]));
    }
    // The version is recorded before the file is written: a crash in between skips a version (the POSes
    // take any higher one), never publishes two lists under one.
    try {
      store.recordList(listVersion + 1, newlyBlocked);
    } catch (RuntimeException e) {
      reload();
      throw e;
    }
    listVersion++;
    try (OutputStream out = Files.newOutputStream(file)) {
      WalletListFile.write(out, trust.signer().certificate().party(), receiver, businessDate, listVersion,
          CurrencyUnit.CNY, entries, ratings == null ? List.of() : ratings.pending());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    trust.signer().sign(file, FileKind.WALLET_LIST);
    return file;
  }

  public long debtsRecoveredMinor() {
    return debtsRecoveredMinor;
  }

  public Set<String> blocked() {
    return Set.copyOf(blocked);
  }

  /** A card's offline debits cleared so far: how many, and their total. */
  public record ClearedTotals(long debits, long offlineMinor) {}

  /** The cleared offline debits of one card so far (zeros when none): the credit facts' purchases. */
  public ClearedTotals clearedTotals(String cardIdHex) {
    TreeMap<Long, Cleared> mine = cleared.get(cardIdHex);
    return mine == null ? new ClearedTotals(0, 0)
        : new ClearedTotals(mine.size(), mine.values().stream().mapToLong(Cleared::offlineMinor).sum());
  }

  /** Offline debits cleared so far. */
  public long clearedCount() {
    return cleared.values().stream().mapToLong(Map::size).sum();
  }

  /** Submits recorded postings under their derived transfer ids (a repeat is answered OK), then marks them POSTED. */
  private void postAndMark(List<WalletDayEndStore.Posting> planned) {
    List<Transfer> transfers = new ArrayList<>(planned.size());
    for (WalletDayEndStore.Posting p : planned) {
      transfers.add(Transfer.single(transferIdOf.applyAsLong(p.postingId()), p.debitAccountId(), p.creditAccountId(),
          p.amountMinor()));
    }
    postAll(transfers);
    store.markPosted(planned);
  }

  /** Submits in batches of {@link #BATCH}, all in flight at once, then checks every result. */
  private void postAll(List<Transfer> transfers) {
    List<java.util.concurrent.CompletableFuture<List<TransferResult>>> pending = new ArrayList<>();
    for (int from = 0; from < transfers.size(); from += BATCH) {
      pending.add(ledger.submit(List.copyOf(transfers.subList(from, Math.min(transfers.size(), from + BATCH)))));
    }
    for (var future : pending) {
      for (TransferResult result : future.orTimeout(WAIT_S, TimeUnit.SECONDS).join()) {
        if (result != TransferResult.OK) {
          throw new IllegalStateException("ledger refused wallet clearing transfer: " + result);
        }
      }
    }
  }

  private static String key(FileClaims c) {
    return key(c.sender().value(), c.businessDate(), c.sequence());
  }

  private static String key(String sender, LocalDate businessDate, long sequence) {
    return sender + "/" + businessDate + "/" + sequence;
  }

  private static String last4(String cardIdHex) {
    return cardIdHex.substring(cardIdHex.length() - 4);
  }
}
