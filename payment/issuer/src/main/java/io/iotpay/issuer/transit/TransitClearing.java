package io.iotpay.issuer.transit;

import io.iotpay.foundation.crypto.AlgorithmSuite;
import io.iotpay.foundation.custody.KeyRef;
import io.iotpay.issuer.IssuerBook;
import io.iotpay.issuer.IssuerInputException;
import io.iotpay.issuer.card.CardRecord;
import io.iotpay.issuer.card.CardRegistry;
import io.iotpay.issuer.card.IssuerKeys;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.file.FileHeader;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.TransitFileReader;
import io.iotpay.protocol.transit.ClearingFile;
import io.iotpay.protocol.transit.RecordId;
import io.iotpay.protocol.transit.TransitKind;
import io.iotpay.protocol.transit.TransitRecord;
import io.iotpay.protocol.transit.TransitRecord.CardTransactionKey;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Transit clearing of the switch's clearing files (docs/issuer.md): per record the checks of {@link
 * RecordChecks} (card, suite, duplicate, TAC verified in constant time by a {@link TacVerifier},
 * fields against what the TAC covers), then the fare debited rider → due-to-switch with a transfer
 * id recorded with the outcome before it is posted (a resent file is idempotent in the ledger as well as in the
 * registry). A fare the account cannot take is booked arrears → due-to-switch (the issuer
 * guarantees offline fares to the switch) and the card is denied. Outcomes are recorded by the
 * {@link ClearingStore}, postings made by the {@link FarePoster}. Not thread-safe: one file at a time.
 */
public final class TransitClearing {
  /**
   * Records per chunk when a clearing file is streamed ({@link #clearFile}). A clearing file is in
   * card order (docs/clearing-files.md §3), so a chunk's registry transaction writes one contiguous
   * stretch of each B-tree whatever the chunk's size; small chunks keep the records in flight (two
   * chunks per issuer, decoded objects) small, and with them the garbage collector's copying: at
   * 3 M records, 16,384 cleared in 26–28 CPU-s what 250,000 cleared in 40–47 (docs/bench-clearing.md).
   */
  public static final int FILE_CHUNK_RECORDS = 16_384;
  /** Threads verifying TACs at most (a bounded pool per chunk; the machine's processors below that). */
  static final int VERIFY_THREADS_MAX = 8;

  private final PartyId issuer;
  private final IssuerKeys keys;
  private final CardRegistry cards;
  private final IssuerBook book;
  private final ClearingStore store;
  private final RecordChecks checks;
  private final FarePoster poster;

  /** Completes, first, what a crash left recorded but unposted (see {@link FarePoster#recover}). */
  public TransitClearing(PartyId issuer, IssuerKeys keys, CardRegistry cards, IssuerBook book, ClearingStore store) {
    this.issuer = issuer;
    this.keys = keys;
    this.cards = cards;
    this.book = book;
    this.store = store;
    this.checks = new RecordChecks(issuer);
    this.poster = new FarePoster(issuer, book, store);
    poster.recover();
  }

  /**
   * Clears one file from the switch held in memory: verifies every TAC, debits fares, refuses bad
   * records with a reason, puts accounts that cannot be debited on the deny list. Resending a file
   * is harmless.
   *
   * @throws IssuerInputException when the file is addressed to another issuer
   */
  public ClearingReport clear(ClearingFile file) {
    requireAddressedHere(file.issuer(), file.sequence());
    return clearChunk(file.businessDate(), file.sequence(), file.records(), verifyTacs(file.records(), tacVerifier()));
  }

  /**
   * Clears a clearing file as a stream: an integrity pass (checksum, count, total, every line's
   * shape) first, so nothing is booked from a damaged file; then records are decoded and cleared
   * in chunks of {@link #FILE_CHUNK_RECORDS}, with one card key cache for the whole file. Each chunk
   * is recorded like a file of its own (the registry in one transaction with its planned fare
   * postings, then the postings, then arrears), so a crash mid-file is repaired by the next start-up
   * (planned postings and arrears are posted) and a resend (cleared chunks come back as duplicates).
   *
   * @return one report for the whole file (refusals of every chunk)
   * @throws io.iotpay.protocol.ProtocolException when the file is damaged or a record malformed
   * @throws IssuerInputException when the file is addressed to another issuer
   * @throws UncheckedIOException when the file cannot be read
   */
  public ClearingReport clearFile(Path path, FileLimits limits) {
    return clearFile(path, limits, FILE_CHUNK_RECORDS);
  }

  /** {@link #clearFile(Path, FileLimits)} in chunks of {@code chunkRecords} (≥ 1; tests use small ones). */
  public ClearingReport clearFile(Path path, FileLimits limits, int chunkRecords) {
    return clearFile(path, limits, chunkRecords, IntegrityGate.NONE);
  }

  /**
   * What the integrity pass reads the file through, and what decides on the file once that pass has
   * read it and before anything is decoded for use or booked: the issuer's signature check
   * (docs/signed-files.md §4), whose digest is computed in the integrity pass instead of a read of
   * its own. The pass itself keeps nothing and changes nothing.
   */
  public interface IntegrityGate {
    /** No gate: the file as it is, no verdict (unsigned files). */
    IntegrityGate NONE = new IntegrityGate() {
      @Override
      public InputStream reading(InputStream file) {
        return file;
      }

      @Override
      public void verdict(FileHeader header) {
        // nothing to decide
      }
    };

    /** The stream the integrity pass reads instead of {@code file}. */
    InputStream reading(InputStream file);

    /**
     * Decides once the pass has read the file; throws to stop before anything is used. Also called
     * when the pass failed on the file, before that failure is thrown, so a file that fails both
     * is refused for the gate's reason.
     *
     * @param header the file's header; null when the pass failed
     */
    void verdict(FileHeader header);
  }

  /**
   * {@link #clearFile(Path, FileLimits, int)} with {@code gate} on the integrity pass: records are
   * decoded and cleared only after its verdict.
   */
  public ClearingReport clearFile(Path path, FileLimits limits, int chunkRecords, IntegrityGate gate) {
    FileHeader header = integrityPass(path, limits, gate);
    requireAddressedHere(header.receiver(), header.sequence());
    TacVerifier verifier = tacVerifier();
    List<ClearingReport> parts = new ArrayList<>();
    // Pipelined: while chunk N's checks and registry transaction run on this thread, chunk N+1 is
    // read and decoded here before it, and its TACs are verified on another thread. The outcome is
    // exactly that of doing it in turn (TAC validity depends on the record alone).
    try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        ExecutorService ahead = Executors.newSingleThreadExecutor()) {
      TransitFileReader reader = TransitFileReader.open(in, FileKind.CLEARING, limits);
      List<TransitRecord> current = readChunk(reader, chunkRecords);
      Future<boolean[]> currentTacs = verifyAhead(ahead, current, verifier);
      while (true) {
        List<TransitRecord> next = List.of();
        RuntimeException readFailure = null;
        if (current.size() == chunkRecords) {
          try {
            next = readChunk(reader, chunkRecords);
          } catch (RuntimeException e) {
            readFailure = e; // thrown once the chunks before it are cleared, as without the pipeline
          }
        }
        Future<boolean[]> nextTacs = next.isEmpty() ? null : verifyAhead(ahead, next, verifier);
        if (!current.isEmpty() || parts.isEmpty()) {
          parts.add(clearChunk(header.businessDate(), header.sequence(), current, await(currentTacs)));
        }
        if (readFailure != null) {
          throw readFailure;
        }
        if (next.isEmpty()) {
          break;
        }
        current = next;
        currentTacs = nextTacs;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("issuer: cannot read clearing file " + path, e);
    }
    return merge(parts);
  }

  /** Up to {@code chunkRecords} records decoded from the reader (fewer at the end of the file). */
  private static List<TransitRecord> readChunk(TransitFileReader reader, int chunkRecords) {
    List<TransitRecord> chunk = new ArrayList<>(Math.min(chunkRecords, 1 << 16));
    while (chunk.size() < chunkRecords && reader.next()) {
      chunk.add(reader.record());
    }
    return chunk;
  }

  private static Future<boolean[]> verifyAhead(ExecutorService ahead,
      List<TransitRecord> records, TacVerifier verifier) {
    return ahead.submit(() -> verifyTacs(records, verifier));
  }

  private static boolean[] await(Future<boolean[]> tacs) {
    try {
      return tacs.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("issuer: interrupted while verifying TACs", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime
          : new IllegalStateException("issuer: TAC verification failed", e.getCause());
    }
  }

  private static FileHeader integrityPass(Path path, FileLimits limits, IntegrityGate gate) {
    try (InputStream in = new BufferedInputStream(gate.reading(Files.newInputStream(path)), 1 << 16)) {
      TransitFileReader reader;
      try {
        reader = TransitFileReader.open(in, FileKind.CLEARING, limits);
        while (reader.next()) {
          // next() checks each line's shape and fare; the trailer's checksum, count and total at the end.
        }
      } catch (RuntimeException e) {
        gate.verdict(null);
        throw e;
      }
      gate.verdict(reader.header());
      return reader.header();
    } catch (IOException e) {
      throw new UncheckedIOException("issuer: cannot read clearing file " + path, e);
    }
  }

  private static ClearingReport merge(List<ClearingReport> parts) {
    ClearingReport first = parts.get(0);
    int accepted = 0;
    long debited = 0;
    long arrears = 0;
    List<ClearingReport.Refusal> refusals = new ArrayList<>();
    for (ClearingReport part : parts) {
      accepted += part.accepted();
      debited += part.debitedMinor();
      arrears += part.arrearsMinor();
      refusals.addAll(part.refusals());
    }
    return new ClearingReport(first.issuer(), first.businessDate(), first.sequence(), accepted, debited, arrears,
        refusals, parts.get(parts.size() - 1).denyListVersion());
  }

  private void requireAddressedHere(PartyId receiver, long sequence) {
    if (!receiver.equals(issuer)) {
      throw new IssuerInputException("clearing file " + sequence + " is for " + receiver + ", not " + issuer);
    }
  }

  /** A verifier of the TACs under every live IMK-AC version, through the issuer's custody. */
  public TacVerifier tacVerifier() {
    Map<AlgorithmSuite, List<KeyRef>> versions = new EnumMap<>(AlgorithmSuite.class);
    for (AlgorithmSuite suite : AlgorithmSuite.values()) {
      versions.put(suite, keys.imkAcVersions(suite));
    }
    return new TacVerifier(keys.custody(), versions);
  }

  /** What clearing one chunk decided and did, gathered step by step. */
  private static final class ChunkOutcome {
    final List<ClearingReport.Refusal> refusals = new ArrayList<>();
    final List<ClearingStore.Cleared> cleared;
    final List<Debit> fares;
    final Map<Pan, CardRecord> cards;
    final Set<Pan> denied = new LinkedHashSet<>();
    final List<Debit> arrears = new ArrayList<>();
    final Map<Long, FarePoster.PostingBuilder> postings = new LinkedHashMap<>();
    int accepted;
    long debitedMinor;
    long arrearsMinor;

    ChunkOutcome(int records, int cardsKnown) {
      cleared = new ArrayList<>(records);
      fares = new ArrayList<>(records);
      cards = LinkedHashMap.newLinkedHashMap(cardsKnown);
    }
  }

  /** Clears one chunk whose TACs were verified ({@code tacValid[i]} for {@code records.get(i)}). */
  private ClearingReport clearChunk(LocalDate businessDate, long sequence, List<TransitRecord> records,
      boolean[] tacValid) {
    // sized for the chunk: growing maps of a quarter-million entries (rehashing) showed in profiles
    Set<Pan> pans = HashSet.newHashSet(records.size());
    for (TransitRecord record : records) {
      pans.add(record.pan());
    }
    Map<Pan, CardRecord> known = cards.findAll(pans);
    ChunkOutcome outcome = new ChunkOutcome(records.size(), known.size());
    checkAll(records, tacValid, known, clearedBefore(records, known), outcome);
    planFares(outcome);
    recordAndPost(outcome);
    return new ClearingReport(issuer, businessDate, sequence, outcome.accepted, outcome.debitedMinor,
        outcome.arrearsMinor, outcome.refusals, store.denyVersion());
  }

  /**
   * Batch reads instead of two statements per record: which of the chunk's card transactions were
   * cleared before (exact keys: only duplicates come back). Only a record at or below its card's
   * last cleared ATC can have been cleared before (last_atc is the highest ATC cleared and never
   * moves down), so only those are probed: in the usual day, none.
   */
  private Set<CardTransactionKey> clearedBefore(List<TransitRecord> records, Map<Pan, CardRecord> known) {
    List<CardTransactionKey> keys = new ArrayList<>();
    for (TransitRecord record : records) {
      CardRecord card = known.get(record.pan());
      if (card != null && record.atc() <= card.lastAtc()) {
        keys.add(record.cardKey());
      }
    }
    return keys.isEmpty() ? Set.of() : store.clearedAmong(keys);
  }

  /** The checks of every record, in file order: refusals, entries cleared, fares to debit. */
  private void checkAll(List<TransitRecord> records, boolean[] tacValid, Map<Pan, CardRecord> known,
      Set<CardTransactionKey> clearedBefore, ChunkOutcome outcome) {
    Set<CardTransactionKey> seen = HashSet.newHashSet(records.size());
    for (int r = 0; r < records.size(); r++) {
      TransitRecord record = records.get(r);
      Optional<ClearingReport.Refusal> refusal = checks.check(record, seen, outcome.cards, known, clearedBefore,
          tacValid[r]);
      if (refusal.isPresent()) {
        outcome.refusals.add(refusal.get());
        continue;
      }
      CardRecord card = outcome.cards.get(record.pan());
      if (record.atc() > card.lastAtc()) {
        outcome.cards.put(card.pan(), card.withQuota(record.quotaAfterMinor(), record.atc()));
      }
      long fare = record.fare().amountMinor();
      if (record.kind() == TransitKind.ENTRY || fare == 0) {
        outcome.cleared.add(new ClearingStore.Cleared(record.cardKey(), "ENTRY", 0, 0));
        outcome.accepted++;
      } else {
        outcome.fares.add(new Debit(record, card, fare));
      }
    }
  }

  /**
   * Fares: what each rider account can take, in file order (as the ledger would refuse one transfer
   * per fare), then ONE transfer per account for the chunk; the rest goes to arrears and its cards
   * to the deny list.
   */
  private void planFares(ChunkOutcome outcome) {
    Set<Long> accounts = HashSet.newHashSet(outcome.cards.size());
    outcome.fares.forEach(fare -> accounts.add(fare.accountId()));
    Map<Long, Long> roomMinor = book.roomsMinor(accounts);
    // The file is in card order, so an account's fares mostly come in a run: its room and posting
    // stay in locals for the run and go back to the maps when another account's fare comes.
    long runAccount = 0;
    long runRoom = 0;
    FarePoster.PostingBuilder runPosting = null;
    boolean inRun = false;
    for (Debit fare : outcome.fares) {
      long account = fare.accountId();
      if (!inRun || account != runAccount) {
        if (inRun) {
          roomMinor.put(runAccount, runRoom);
        }
        runAccount = account;
        runRoom = roomMinor.get(account);
        runPosting = outcome.postings.get(account);
        inRun = true;
      }
      if (runRoom < fare.fareMinor()) {
        outcome.arrears.add(fare);
        continue;
      }
      runRoom -= fare.fareMinor();
      if (runPosting == null) {
        runPosting = new FarePoster.PostingBuilder(poster.nextFarePostingId(), account);
        outcome.postings.put(account, runPosting);
      }
      runPosting.add(fare.fareMinor());
      outcome.cleared.add(new ClearingStore.Cleared(fare.record().cardKey(), "DEBITED", fare.fareMinor(),
          runPosting.transferId));
      outcome.debitedMinor += fare.fareMinor();
      outcome.accepted++;
    }
    for (Debit debit : outcome.arrears) {
      outcome.cleared.add(new ClearingStore.Cleared(debit.record().cardKey(), "ARREARS", debit.fareMinor(), 0));
      outcome.denied.add(debit.card().pan());
      outcome.arrearsMinor += debit.fareMinor();
      outcome.refusals.add(arrearsRefusal(debit.record().id(), debit.record().cardKey(), debit.fareMinor()));
    }
  }

  /**
   * The outcome and the planned fare postings are recorded before anything is posted: a crash in
   * between is completed by FarePoster.recover() at start-up, never by a resend (whose records are
   * then duplicates) that could debit the rider twice. A posting the ledger refuses moves to arrears.
   */
  private void recordAndPost(ChunkOutcome outcome) {
    List<ClearingStore.FarePosting> planned = outcome.postings.values().stream()
        .map(FarePoster.PostingBuilder::build).toList();
    store.recordFile(outcome.cleared, outcome.cards.values(), outcome.denied, planned);
    List<ClearingStore.Cleared> refused = poster.postFares(planned);
    Map<CardTransactionKey, RecordId> ids = new HashMap<>();
    if (!refused.isEmpty()) {
      outcome.fares.forEach(fare -> ids.put(fare.record().cardKey(), fare.record().id()));
    }
    for (ClearingStore.Cleared one : refused) {
      outcome.debitedMinor -= one.fareMinor();
      outcome.arrearsMinor += one.fareMinor();
      outcome.accepted--;
      outcome.refusals.add(arrearsRefusal(ids.get(one.key()), one.key(), one.fareMinor()));
    }
    List<ClearingStore.Cleared> toPost = new ArrayList<>(refused);
    outcome.arrears.forEach(d -> toPost.add(new ClearingStore.Cleared(d.record().cardKey(), "ARREARS", d.fareMinor(),
        0)));
    poster.postArrears(toPost);
  }

  private static ClearingReport.Refusal arrearsRefusal(RecordId id, CardTransactionKey key,
      long fareMinor) {
    return new ClearingReport.Refusal(id, key, RefusalReason.INSUFFICIENT_FUNDS,
        "fare " + fareMinor + " booked to arrears; card on the deny list");
  }

  /** A fare to post: the record, its card, the amount. */
  private record Debit(TransitRecord record, CardRecord card, long fareMinor) {
    long accountId() {
      return card.accountId();
    }
  }

  /**
   * Verifies the TACs of every record whose input has the TC's length, on a bounded pool (one
   * contiguous slice per thread); the sequential checks then use the results in file order, so the
   * outcome is exactly that of verifying in the loop.
   */
  private static boolean[] verifyTacs(List<TransitRecord> records, TacVerifier verifier) {
    boolean[] valid = new boolean[records.size()];
    int threads = Math.max(1, Math.min(VERIFY_THREADS_MAX,
        Math.min(Runtime.getRuntime().availableProcessors(), records.size() / 256)));
    int slice = (records.size() + threads - 1) / threads;
    Runnable[] work = new Runnable[threads];
    for (int t = 0; t < threads; t++) {
      int from = t * slice;
      int to = Math.min(records.size(), from + slice);
      work[t] = () -> {
        for (int i = from; i < to; i++) {
          TransitRecord record = records.get(i);
          byte[] input = record.cryptogramInput();
          valid[i] = input.length == RecordChecks.INPUT_BYTES && verifier.verify(record.suite(), record.pan(),
              record.panSequence(), record.atc(), input, record.tac());
        }
      };
    }
    if (threads == 1) {
      work[0].run();
      return valid;
    }
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> futures = new ArrayList<>();
      for (Runnable w : work) {
        futures.add(pool.submit(w));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("issuer: interrupted while verifying TACs", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("issuer: TAC verification failed", e.getCause());
    }
    return valid;
  }


}
