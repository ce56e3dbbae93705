package io.iotpay.issuer;

import io.iotpay.foundation.codec.Bcd;
import io.iotpay.foundation.crypto.SecretKeyBytes;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.protocol.Pan;
import io.iotpay.protocol.file.FileHeader;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.FileLimits;
import io.iotpay.protocol.file.TransitFileReader;
import io.iotpay.protocol.transit.ClearingFile;
import io.iotpay.protocol.transit.TransitKind;
import io.iotpay.protocol.transit.TransitRecord;
import io.iotpay.protocol.transit.TransitRecord.CardTransactionKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Clearing of one file (docs/issuer.md): per record, the card and its suite, de-duplication by card
 * transaction (PAN, PSN, ATC), the TAC recomputed over {@code cryptogramInput} with the card's AC
 * key (constant-time compare), the record's fields checked against what the TAC covers, then the
 * fare debited rider → due-to-switch with a transfer id derived from the card key (a resent file
 * is idempotent in the ledger as well as in the registry). A fare the account cannot take is booked
 * arrears → due-to-switch (the issuer guarantees offline fares to the switch) and the card is
 * denied.
 */
final class Clearing {
  /** Layout of a TC's cryptogram input (docs/card-apdus.md §6): CDOL1 29, AIP 2, ATC 2, CID 1, IAD 4, 9F79 6, DF63 6, CAPP 32. */
  static final int INPUT_BYTES = 82;
  private static final int AMOUNT = 0;
  private static final int CURRENCY = 19;
  private static final int ATC = 31;
  private static final int CID = 33;
  private static final int QUOTA_AFTER = 38;
  private static final int CAPP = 50;
  private static final byte CID_TC = 0x40;
  /** Transfers per ledger submission (below the ledger's default batchTransfersMax of 8190). */
  private static final int CHUNK = 8000;

  /**
   * Records per chunk when a clearing file is streamed ({@link #clearFile}). A clearing file is in
   * card order (docs/clearing-files.md §3), so a chunk's registry transaction writes one contiguous
   * stretch of each B-tree whatever the chunk's size; small chunks keep the records in flight (two
   * chunks per issuer, decoded objects) small, and with them the garbage collector's copying: at
   * 3 M records, 16,384 cleared in 26–28 CPU-s what 250,000 cleared in 40–47 (docs/bench-clearing.md).
   */
  static final int FILE_CHUNK_RECORDS = 16_384;
  /** Threads verifying TACs at most (a bounded pool per chunk; the machine's processors below that). */
  static final int VERIFY_THREADS_MAX = 8;

  private final Issuer issuer;
  private final MessageDigest sha256;

  Clearing(Issuer issuer) {
    this.issuer = issuer;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  ClearingReport clear(ClearingFile file) {
    requireAddressedHere(file.issuer(), file.sequence());
    // The unwrapped IMKs live in this verifier, for one file only.
    return clearChunk(file.businessDate(), file.sequence(), file.records(), verifyTacs(file.records(), newVerifier()));
  }

  /**
   * Clears a clearing file as a stream: an integrity pass (checksum, count, total, every line's
   * shape) first, so nothing is booked from a damaged file; then records are decoded and cleared
   * in chunks of {@link #FILE_CHUNK_RECORDS}, with one card key cache for the whole file. Each chunk
   * is recorded like a file of its own (the registry in one transaction with its planned fare
   * postings, then the postings, then arrears), so a crash mid-file is repaired by the next start-up
   * (planned postings and arrears are posted) and a resend (cleared chunks come back as duplicates).
   */
  ClearingReport clearFile(java.nio.file.Path path, FileLimits limits) {
    return clearFile(path, limits, FILE_CHUNK_RECORDS);
  }

  /** {@link #clearFile(java.nio.file.Path, FileLimits)} in chunks of {@code chunkRecords} (≥ 1; tests use small ones). */
  ClearingReport clearFile(java.nio.file.Path path, FileLimits limits, int chunkRecords) {
    FileHeader header = integrityPass(path, limits);
    requireAddressedHere(header.receiver(), header.sequence());
    TacVerifier verifier = newVerifier();
    List<ClearingReport> parts = new ArrayList<>();
    // Pipelined: while chunk N's checks and registry transaction run on this thread, chunk N+1 is
    // read and decoded here before it, and its TACs are verified on another thread. The outcome is
    // exactly that of doing it in turn (TAC validity depends on the record alone).
    try (java.io.InputStream in = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(path), 1 << 16);
        java.util.concurrent.ExecutorService ahead = java.util.concurrent.Executors.newSingleThreadExecutor()) {
      TransitFileReader reader = TransitFileReader.open(in, FileKind.CLEARING, limits);
      List<TransitRecord> current = readChunk(reader, chunkRecords);
      java.util.concurrent.Future<boolean[]> currentTacs = verifyAhead(ahead, current, verifier);
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
        java.util.concurrent.Future<boolean[]> nextTacs = next.isEmpty() ? null : verifyAhead(ahead, next, verifier);
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
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("issuer: cannot read clearing file " + path, e);
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

  private static java.util.concurrent.Future<boolean[]> verifyAhead(java.util.concurrent.ExecutorService ahead,
      List<TransitRecord> records, TacVerifier verifier) {
    return ahead.submit(() -> verifyTacs(records, verifier));
  }

  private static boolean[] await(java.util.concurrent.Future<boolean[]> tacs) {
    try {
      return tacs.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("issuer: interrupted while verifying TACs", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime
          : new IllegalStateException("issuer: TAC verification failed", e.getCause());
    }
  }

  private static FileHeader integrityPass(java.nio.file.Path path, FileLimits limits) {
    try (java.io.InputStream in = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(path), 1 << 16)) {
      TransitFileReader reader = TransitFileReader.open(in, FileKind.CLEARING, limits);
      while (reader.next()) {
        // next() checks each line's shape and fare; the trailer's checksum, count and total at the end.
      }
      return reader.header();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("issuer: cannot read clearing file " + path, e);
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

  private void requireAddressedHere(io.iotpay.protocol.PartyId receiver, long sequence) {
    if (!receiver.equals(issuer.id())) {
      throw new IssuerInputException("clearing file " + sequence + " is for " + receiver + ", not " + issuer.id());
    }
  }

  private TacVerifier newVerifier() {
    Map<io.iotpay.foundation.crypto.AlgorithmSuite, SecretKeyBytes> imkAc =
        new java.util.EnumMap<>(io.iotpay.foundation.crypto.AlgorithmSuite.class);
    for (io.iotpay.foundation.crypto.AlgorithmSuite suite : io.iotpay.foundation.crypto.AlgorithmSuite.values()) {
      imkAc.put(suite, issuer.imkAc(suite));
    }
    return new TacVerifier(imkAc);
  }

  /** Clears one chunk whose TACs were verified ({@code tacValid[i]} for {@code records.get(i)}). */
  private ClearingReport clearChunk(java.time.LocalDate businessDate, long sequence, List<TransitRecord> records,
      boolean[] tacValid) {
    // sized for the chunk: growing maps of a quarter-million entries (rehashing) showed in profiles
    Set<Pan> pans = java.util.HashSet.newHashSet(records.size());
    for (TransitRecord record : records) {
      pans.add(record.pan());
    }
    // Batch reads instead of two statements per record: the chunk's cards, and which of its card
    // transactions were cleared before (exact keys: only duplicates come back). Only a record at or
    // below its card's last cleared ATC can have been cleared before (last_atc is the highest ATC
    // cleared and never moves down), so only those are probed: in the usual day, none.
    Map<Pan, CardRecord> known = issuer.registry().findAll(pans);
    List<CardTransactionKey> keys = new ArrayList<>();
    for (TransitRecord record : records) {
      CardRecord card = known.get(record.pan());
      if (card != null && record.atc() <= card.lastAtc()) {
        keys.add(record.cardKey());
      }
    }
    Set<CardTransactionKey> clearedBefore = keys.isEmpty() ? Set.of() : issuer.registry().clearedAmong(keys);
    List<ClearingReport.Refusal> refusals = new ArrayList<>();
    Set<CardTransactionKey> seen = HashSet.newHashSet(records.size());
    Map<Pan, CardRecord> cards = LinkedHashMap.newLinkedHashMap(known.size());
    List<CardRegistry.Cleared> cleared = new ArrayList<>(records.size());
    List<Debit> fares = new ArrayList<>(records.size());
    int accepted = 0;
    for (int r = 0; r < records.size(); r++) {
      TransitRecord record = records.get(r);
      Optional<ClearingReport.Refusal> refusal = check(record, seen, cards, known, clearedBefore, tacValid[r]);
      if (refusal.isPresent()) {
        refusals.add(refusal.get());
        continue;
      }
      CardRecord card = cards.get(record.pan());
      if (record.atc() > card.lastAtc()) {
        cards.put(card.pan(), card.withQuota(record.quotaAfterMinor(), record.atc()));
      }
      long fare = record.fare().amountMinor();
      if (record.kind() == TransitKind.ENTRY || fare == 0) {
        cleared.add(new CardRegistry.Cleared(record.cardKey(), "ENTRY", 0, 0));
        accepted++;
      } else {
        fares.add(new Debit(record, card, fare));
      }
    }
    // Fares: what each rider account can take, in file order (as the ledger would refuse one transfer
    // per fare), then ONE transfer per account for the chunk; the rest goes to arrears.
    Map<Long, Long> roomMinor = new HashMap<>();
    Map<Long, PostingBuilder> postings = new LinkedHashMap<>();
    List<Debit> arrears = new ArrayList<>();
    long debited = 0;
    for (Debit fare : fares) {
      long room = roomMinor.computeIfAbsent(fare.accountId(), this::roomMinor);
      if (room < fare.fareMinor()) {
        arrears.add(fare);
        continue;
      }
      roomMinor.put(fare.accountId(), room - fare.fareMinor());
      PostingBuilder posting = postings.computeIfAbsent(fare.accountId(),
          account -> new PostingBuilder(farePostingId(account, fare.record().cardKey()), account));
      posting.add(fare.fareMinor());
      cleared.add(new CardRegistry.Cleared(fare.record().cardKey(), "DEBITED", fare.fareMinor(), posting.transferId));
      debited += fare.fareMinor();
      accepted++;
    }
    Set<Pan> denied = new LinkedHashSet<>();
    long arrearsMinor = 0;
    for (Debit debit : arrears) {
      cleared.add(new CardRegistry.Cleared(debit.record().cardKey(), "ARREARS", debit.fareMinor(), 0));
      denied.add(debit.card().pan());
      arrearsMinor += debit.fareMinor();
      refusals.add(arrearsRefusal(debit.record().id(), debit.record().cardKey(), debit.fareMinor()));
    }
    // The outcome and the planned fare postings are recorded before anything is posted: a crash in
    // between is completed by postPlannedFares() and repostArrears() at start-up, never by a resend
    // (whose records are then duplicates) that could debit the rider twice.
    List<CardRegistry.FarePosting> planned = postings.values().stream().map(PostingBuilder::build).toList();
    issuer.registry().recordFile(cleared, cards.values(), denied, planned);
    List<CardRegistry.Cleared> refused = postFares(planned);
    Map<CardTransactionKey, io.iotpay.protocol.transit.RecordId> ids = new HashMap<>();
    if (!refused.isEmpty()) {
      fares.forEach(fare -> ids.put(fare.record().cardKey(), fare.record().id()));
    }
    for (CardRegistry.Cleared one : refused) {
      debited -= one.fareMinor();
      arrearsMinor += one.fareMinor();
      accepted--;
      refusals.add(arrearsRefusal(ids.get(one.key()), one.key(), one.fareMinor()));
    }
    List<CardRegistry.Cleared> toPost = new ArrayList<>(refused);
    arrears.forEach(d -> toPost.add(new CardRegistry.Cleared(d.record().cardKey(), "ARREARS", d.fareMinor(), 0)));
    postArrears(toPost);
    return new ClearingReport(issuer.id(), businessDate, sequence, accepted, debited, arrearsMinor,
        refusals, issuer.registry().denyVersion());
  }

  private static ClearingReport.Refusal arrearsRefusal(io.iotpay.protocol.transit.RecordId id, CardTransactionKey key,
      long fareMinor) {
    return new ClearingReport.Refusal(id, key, RefusalReason.INSUFFICIENT_FUNDS,
        "fare " + fareMinor + " booked to arrears; card on the deny list");
  }

  /**
   * What the rider account can still be debited: a credit account's available limit (the issuer
   * enforces it, see RiderAccountKind); a debit account's posted credits less its posted and pending
   * debits (what the ledger's debits-must-not-exceed-credits flag allows).
   */
  private long roomMinor(long accountId) {
    if (issuer.isCredit(accountId)) {
      return issuer.availableMinor(accountId);
    }
    return issuer.ledger().balance(accountId)
        .map(b -> b.creditsPostedMinor() - b.debitsPostedMinor() - b.debitsPendingMinor()).orElse(0L);
  }

  /**
   * Submits recorded fare postings (idempotent: the ids were recorded first) and marks those the
   * ledger took; a posting the ledger refuses because the account can no longer take it becomes
   * arrears (its records, their cards denied).
   *
   * @return the records moved to arrears (their arrears transfers not yet posted)
   */
  List<CardRegistry.Cleared> postFares(List<CardRegistry.FarePosting> postings) {
    List<CardRegistry.Cleared> refused = new ArrayList<>();
    for (int start = 0; start < postings.size(); start += CHUNK) {
      List<CardRegistry.FarePosting> part = postings.subList(start, Math.min(postings.size(), start + CHUNK));
      List<Transfer> transfers = new ArrayList<>(part.size());
      for (CardRegistry.FarePosting posting : part) {
        transfers.add(Transfer.single(posting.transferId(), posting.accountId(), issuer.dueToSwitchAccountId(),
            posting.amountMinor()));
      }
      List<TransferResult> results = issuer.submit(transfers);
      List<Long> posted = new ArrayList<>(part.size());
      for (int i = 0; i < results.size(); i++) {
        switch (results.get(i)) {
          case OK -> posted.add(part.get(i).transferId());
          case EXCEEDS_CREDITS -> refused.addAll(issuer.registry().toArrears(part.get(i).transferId()));
          default -> throw new IllegalStateException("ledger refused fare posting " + part.get(i).transferId() + ": "
              + results.get(i));
        }
      }
      issuer.registry().markPosted(posted);
    }
    return refused;
  }

  /** Completes fare postings a crash left recorded but unposted (at start-up, before arrears are re-posted). */
  void postPlannedFares() {
    postFares(issuer.registry().plannedPostings());
  }

  /** One account's fare posting of a chunk, while its fares are added up. */
  private static final class PostingBuilder {
    final long transferId;
    final long accountId;
    long amountMinor;
    int records;

    PostingBuilder(long transferId, long accountId) {
      this.transferId = transferId;
      this.accountId = accountId;
    }

    void add(long fareMinor) {
      amountMinor = Math.addExact(amountMinor, fareMinor);
      records++;
    }

    CardRegistry.FarePosting build() {
      return new CardRegistry.FarePosting(transferId, accountId, amountMinor, records);
    }
  }

  /** Posts arrears → due to switch for each; idempotent (ids from the card key), so safe to repeat. */
  void postArrears(List<CardRegistry.Cleared> arrears) {
    List<Transfer> transfers = new ArrayList<>();
    for (CardRegistry.Cleared one : arrears) {
      transfers.add(Transfer.single(transferId("arrears", one.key()), issuer.arrearsAccountId(),
          issuer.dueToSwitchAccountId(), one.fareMinor()));
    }
    for (int start = 0; start < transfers.size(); start += CHUNK) {
      List<Transfer> chunk = transfers.subList(start, Math.min(transfers.size(), start + CHUNK));
      List<TransferResult> results = issuer.submit(chunk);
      for (int i = 0; i < results.size(); i++) {
        if (results.get(i) != TransferResult.OK) {
          throw new IllegalStateException("ledger refused arrears transfer " + chunk.get(i).id() + ": " + results.get(i));
        }
      }
    }
  }

  /** A fare to post: the record, its card, the amount. */
  private record Debit(TransitRecord record, CardRecord card, long fareMinor) {
    long accountId() {
      return card.accountId();
    }
  }

  private Optional<ClearingReport.Refusal> check(TransitRecord record, Set<CardTransactionKey> seen,
      Map<Pan, CardRecord> cards, Map<Pan, CardRecord> known, Set<CardTransactionKey> clearedBefore, boolean tacValid) {
    CardTransactionKey key = record.cardKey();
    CardRecord card = cards.get(record.pan());
    if (card == null) {
      card = known.get(record.pan());
      if (card != null) {
        cards.put(card.pan(), card);
      }
    }
    if (card == null || card.panSequence() != record.panSequence()) {
      return refuse(record, RefusalReason.UNKNOWN_CARD, "not a card of " + issuer.id());
    }
    if (card.suite() != record.suite()) {
      return refuse(record, RefusalReason.SUITE_MISMATCH, "card is " + card.suite());
    }
    if (seen.contains(key) || clearedBefore.contains(key)) {
      return refuse(record, RefusalReason.DUPLICATE, "card transaction ATC " + record.atc() + " already cleared");
    }
    byte[] input = record.cryptogramInput();
    if (input.length != INPUT_BYTES) {
      return refuse(record, RefusalReason.MALFORMED, "cryptogram input of " + input.length + " bytes, expected " + INPUT_BYTES);
    }
    if (!tacValid) {
      return refuse(record, RefusalReason.BAD_TAC, "TAC does not verify for ATC " + record.atc());
    }
    String mismatch = mismatch(record, input);
    if (mismatch != null) {
      return refuse(record, RefusalReason.AMOUNT_MISMATCH, mismatch);
    }
    // Only a verified record claims its card key: a forged copy must not shadow the genuine one.
    seen.add(key);
    return Optional.empty();
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
          valid[i] = input.length == INPUT_BYTES && verifier.verify(record.suite(), record.pan(),
              record.panSequence(), record.atc(), input, record.tac());
        }
      };
    }
    if (threads == 1) {
      work[0].run();
      return valid;
    }
    try (java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
      List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
      for (Runnable w : work) {
        futures.add(pool.submit(w));
      }
      for (java.util.concurrent.Future<?> future : futures) {
        future.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("issuer: interrupted while verifying TACs", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("issuer: TAC verification failed", e.getCause());
    }
    return valid;
  }

  /** What in the record disagrees with the TAC-covered input, or null. */
  private String mismatch(TransitRecord record, byte[] input) {
    int atc = ((input[ATC] & 0xFF) << 8) | (input[ATC + 1] & 0xFF);
    if (atc != record.atc()) {
      return "record ATC " + record.atc() + " but the TAC covers " + atc;
    }
    if (input[CID] != CID_TC) {
      return String.format("cryptogram type %02X is not a TC", input[CID]);
    }
    long quotaAfter = Bcd.decode(input, QUOTA_AFTER, 6);
    if (quotaAfter != record.quotaAfterMinor()) {
      return "record quota after " + record.quotaAfterMinor() + " but the TAC covers " + quotaAfter;
    }
    int currency = (int) Bcd.decode(input, CURRENCY, 2);
    if (currency != record.fare().currency().numericCode()) {
      return "record currency " + record.fare().currency() + " but the TAC covers " + currency;
    }
    byte state = input[CAPP];
    boolean entry = record.kind() == TransitKind.ENTRY;
    if (state != (entry ? 0x01 : 0x02)) {
      return "record kind " + record.kind() + " but the card recorded journey state " + state;
    }
    long amount = Bcd.decode(input, AMOUNT, 6);
    if (!entry && amount != record.fare().amountMinor()) {
      return "record fare " + record.fare().amountMinor() + " but the TAC covers " + amount;
    }
    return null;
  }

  /** A positive transfer id from the card transaction: SHA-256 of purpose, issuer, PAN, PSN, ATC. */
  long transferId(String purpose, CardTransactionKey key) {
    return positiveId(purpose + "|" + issuer.id() + "|" + key.pan().digits() + "|" + key.panSequence() + "|" + key.atc());
  }

  /**
   * The id of a chunk's fare posting for one account: SHA-256 over the account and the posting's
   * first card transaction, which is cleared once ever, so no two postings share an id.
   */
  long farePostingId(long accountId, CardTransactionKey first) {
    return positiveId("fares|" + issuer.id() + "|" + accountId + "|" + first.pan().digits() + "|" + first.panSequence()
        + "|" + first.atc());
  }

  private long positiveId(String text) {
    {
      byte[] hash = sha256.digest(text.getBytes(StandardCharsets.UTF_8));
      long id = 0;
      for (int i = 0; i < 8; i++) {
        id = (id << 8) | (hash[i] & 0xFF);
      }
      id &= Long.MAX_VALUE;
      return id == 0 ? 1 : id;
    }
  }

  private static Optional<ClearingReport.Refusal> refuse(TransitRecord record, RefusalReason reason, String detail) {
    return Optional.of(new ClearingReport.Refusal(record.id(), record.cardKey(), reason, detail));
  }
}
