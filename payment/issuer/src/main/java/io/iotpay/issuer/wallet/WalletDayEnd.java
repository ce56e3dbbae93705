package io.iotpay.issuer.wallet;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.codec.Hex;
import io.iotpay.foundation.money.CurrencyUnit;
import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.WalletDayFile;
import io.iotpay.protocol.file.WalletListFile;
import io.iotpay.protocol.pki.FileClaims;
import io.iotpay.protocol.pki.FileTrust;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
 * byte is parsed, every offline debit verified under the card's key and cleared once (card id and
 * counter) from the card's shadow account to the POS's merchant, online parts matched (one the POS
 * has not yet pushed is applied from the file), the card's signed balance after each debit checked
 * against the shadow books, and the signed list of outcomes, blocked cards and new ratings
 * published; the cards' rating confirmations in a day file are handed to {@link WalletRatings}.
 *
 * <p>The scheme's rule for a failed online part: the card's first failed part becomes debt
 * (outcome 02), recovered at its next load; a second failed part while debt is unrecovered blocks
 * the card (outcome 03). A card whose signed balances disagree with its shadow account is blocked.
 * Not thread-safe; one day end at a time.
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
  private final java.util.function.Function<String, Long> merchantAccountOfPos;
  private final java.util.function.LongSupplier transferIds;
  /** Null: no ratings published, confirmations in day files skipped. */
  private final WalletRatings ratings;
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

  public WalletDayEnd(WalletOnlineParts parts, Ledger ledger, FileTrust trust, WriteBackSigner writeBacks,
      java.util.function.Function<String, Long> merchantAccountOfPos, java.util.function.LongSupplier transferIds) {
    this(parts, ledger, trust, writeBacks, merchantAccountOfPos, transferIds, null);
  }

  /** As above; {@code ratings} (may be null) publishes new ratings with every list and takes the cards' confirmations. */
  public WalletDayEnd(WalletOnlineParts parts, Ledger ledger, FileTrust trust, WriteBackSigner writeBacks,
      java.util.function.Function<String, Long> merchantAccountOfPos, java.util.function.LongSupplier transferIds,
      WalletRatings ratings) {
    this.ratings = ratings;
    this.parts = Assert.notNull(parts, "parts");
    this.ledger = Assert.notNull(ledger, "ledger");
    this.trust = Assert.notNull(trust, "trust");
    this.writeBacks = Assert.notNull(writeBacks, "writeBacks");
    this.merchantAccountOfPos = Assert.notNull(merchantAccountOfPos, "merchantAccountOfPos");
    this.transferIds = Assert.notNull(transferIds, "transferIds");
  }

  /**
   * Verifies and clears one POS's day file. A refused file changes nothing.
   *
   * @throws io.iotpay.protocol.pki.SignedFileException when the signature or its claims are refused
   * @throws io.iotpay.protocol.ProtocolException when the file is malformed
   */
  public Clearing clear(Path dayFile) {
    FileClaims claims = trust.verifier().verify(dayFile, FileKind.WALLET_DAY,
        c -> acceptedDays.contains(key(c))).claims();
    WalletDayFile.Read read;
    try (InputStream in = Files.newInputStream(dayFile)) {
      read = WalletDayFile.read(in, FileLimits.defaults());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dayFile, e);
    }
    int done = 0;
    int repeats = 0;
    int applied = 0;
    long offline = 0;
    List<Transfer> transfers = new ArrayList<>();
    List<SignedOnlinePart> debits = read.purchases().stream()
        .map(p -> new SignedOnlinePart(p.signedDebit(), p.cardSignature())).toList();
    // The card signatures are checked first, in parallel (CPU only); the books are written in order after.
    boolean[] genuine = new boolean[debits.size()];
    java.util.stream.IntStream.range(0, debits.size()).parallel().forEach(i -> genuine[i] = genuine(debits.get(i)));
    for (int i = 0; i < debits.size(); i++) {
      SignedOnlinePart debit = debits.get(i);
      WalletCard card = parts.card(debit.cardIdHex()).orElse(null);
      Long merchant = merchantAccountOfPos.apply(debit.posIdHex());
      if (card == null || merchant == null || !genuine[i]) {
        LOG.warn("Wallet day file line not genuine, not cleared [pos={}, counter={}]", claims.sender().value(),
            debit.counter());
        continue;
      }
      TreeMap<Long, Cleared> mine = cleared.computeIfAbsent(debit.cardIdHex(), k -> new TreeMap<>());
      if (mine.containsKey(debit.counter())) {
        repeats++;
        continue;
      }
      if (debit.offlineMinor() > 0) {
        transfers.add(Transfer.single(transferIds.getAsLong(), card.shadowAccountId(), merchant, debit.offlineMinor()));
      }
      mine.put(debit.counter(), new Cleared(debit.offlineMinor(),
          ByteBuffer.wrap(debit.signedInput(), 21, 4).getInt() & 0xFFFF_FFFFL));
      offline += debit.offlineMinor();
      done++;
      if (debit.onlineMinor() > 0 && parts.outcome(debit.cardIdHex(), debit.counter()).isEmpty()) {
        parts.apply(debit);
        applied++;
      }
    }
    postAll(transfers);
    int confirmed = confirmRatings(claims, read.confirmations());
    acceptedDays.add(key(claims));
    return new Clearing(claims.sender().value(), read.purchases().size(), done, repeats, offline, applied, confirmed);
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

  private boolean genuine(SignedOnlinePart debit) {
    WalletCard card = parts.card(debit.cardIdHex()).orElse(null);
    return card != null && card.suite().signature().verify(card.cardKey(), debit.signedInput(), debit.cardSignature());
  }

  /**
   * Records a load the issuer authorised: the card's counter at the load and the card's debt before
   * and after it. The debt recovered is paid from the shadow account to the merchants owed, oldest first.
   */
  public void loaded(String cardIdHex, long counterAtLoad, long amountMinor, long debtBeforeMinor, long debtAfterMinor) {
    long recovered = debtBeforeMinor - debtAfterMinor;
    loads.computeIfAbsent(cardIdHex, k -> new ArrayList<>()).add(new Load(counterAtLoad, amountMinor - recovered));
    WalletCard card = parts.card(cardIdHex).orElseThrow();
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
        post(Transfer.single(transferIds.getAsLong(), card.shadowAccountId(), owed.merchant, pay));
        owed.minor -= pay;
        left -= pay;
      }
    }
    debtsRecoveredMinor += recovered - left;
  }

  /**
   * Checks every card's signed balances against its books: for each cleared debit whose earlier
   * counters are all cleared, the card's balance after it must equal the value loaded before it
   * less every offline debit up to it. A card that disagrees is listed and blocked.
   */
  public Set<String> detectMismatches() {
    for (Map.Entry<String, TreeMap<Long, Cleared>> e : cleared.entrySet()) {
      long offlineSoFar = 0;
      long expectedCounter = 1;
      for (Map.Entry<Long, Cleared> c : e.getValue().entrySet()) {
        if (c.getKey() != expectedCounter) {
          break; // a gap: a debit not uploaded yet
        }
        offlineSoFar += c.getValue().offlineMinor();
        long counter = c.getKey();
        long loadedBefore = loads.getOrDefault(e.getKey(), List.of()).stream()
            .filter(l -> l.counterAtLoad() < counter).mapToLong(Load::creditedMinor).sum();
        if (loadedBefore - offlineSoFar != c.getValue().balanceAfterMinor()) {
          if (mismatched.add(e.getKey())) {
            LOG.warn("Wallet and shadow account disagree [card=****{}, counter={}]", last4(e.getKey()), counter);
          }
          blocked.add(e.getKey());
          break;
        }
        expectedCounter++;
      }
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
    for (OnlinePartRow row : parts.answered()) {
      int outcome;
      if (row.outcome() == OnlinePartOutcome.COMPLETED) {
        outcome = 1;
      } else if (row.outcome() == OnlinePartOutcome.FAILED) {
        int failures = failedSoFar.merge(row.cardIdHex(), 1, Integer::sum);
        outcome = failures >= 2 ? 3 : 2;
        if (outcome == 3) {
          blocked.add(row.cardIdHex());
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

  private void post(Transfer transfer) {
    postAll(List.of(transfer));
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
    return c.sender().value() + "/" + c.businessDate() + "/" + c.sequence();
  }

  private static String last4(String cardIdHex) {
    return cardIdHex.substring(cardIdHex.length() - 4);
  }
}
