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
import java.util.Arrays;
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

  /** Records per chunk when a clearing file is streamed ({@link #clearFile}): bounds memory per chunk. */
  static final int FILE_CHUNK_RECORDS = 50_000;
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
    return clearChunk(file.businessDate(), file.sequence(), file.records(), newVerifier());
  }

  /**
   * Clears a clearing file as a stream: an integrity pass (checksum, count, total, every line's
   * shape) first, so nothing is booked from a damaged file; then records are decoded and cleared
   * in chunks of {@link #FILE_CHUNK_RECORDS}, with one card key cache for the whole file. Each chunk
   * is recorded like a file of its own (fares posted, then the registry in one transaction, then
   * arrears), so a crash mid-file is repaired by resending the file: cleared chunks come back as
   * duplicates, and the fare transfer ids are idempotent.
   */
  ClearingReport clearFile(java.nio.file.Path path, FileLimits limits) {
    FileHeader header = integrityPass(path, limits);
    requireAddressedHere(header.receiver(), header.sequence());
    TacVerifier verifier = newVerifier();
    List<ClearingReport> parts = new ArrayList<>();
    try (java.io.InputStream in = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(path), 1 << 16)) {
      TransitFileReader reader = TransitFileReader.open(in, FileKind.CLEARING, limits);
      List<TransitRecord> chunk = new ArrayList<>(FILE_CHUNK_RECORDS);
      boolean more = true;
      while (more) {
        more = reader.next();
        if (more) {
          chunk.add(reader.record());
        }
        if (chunk.size() == FILE_CHUNK_RECORDS || (!more && (!chunk.isEmpty() || parts.isEmpty()))) {
          parts.add(clearChunk(header.businessDate(), header.sequence(), chunk, verifier));
          chunk.clear();
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("issuer: cannot read clearing file " + path, e);
    }
    return merge(parts);
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

  private ClearingReport clearChunk(java.time.LocalDate businessDate, long sequence, List<TransitRecord> records,
      TacVerifier verifier) {
    Set<Pan> pans = new java.util.HashSet<>();
    for (TransitRecord record : records) {
      pans.add(record.pan());
    }
    // Batch reads instead of two statements per record: the chunk's cards and their cleared transactions.
    Map<Pan, CardRecord> known = issuer.registry().findAll(pans);
    Set<CardTransactionKey> clearedBefore = issuer.registry().clearedOn(pans);
    boolean[] tacValid = verifyTacs(records, verifier);
    List<ClearingReport.Refusal> refusals = new ArrayList<>();
    Set<CardTransactionKey> seen = new HashSet<>();
    Map<Pan, CardRecord> cards = new LinkedHashMap<>();
    Map<Long, Long> creditUsedMinor = new HashMap<>();
    // An account's kind never changes: read it once per chunk, not once per fare.
    Map<Long, Boolean> creditAccounts = new HashMap<>();
    List<CardRegistry.Cleared> cleared = new ArrayList<>();
    List<Debit> debits = new ArrayList<>();
    List<Debit> arrears = new ArrayList<>();
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
        cleared.add(new CardRegistry.Cleared(record.cardKey(), "ENTRY", 0));
        accepted++;
      } else if (creditAccounts.computeIfAbsent(card.accountId(), issuer::isCredit)) {
        // Credit accounts have no ledger flag: the issuer enforces the limit (see RiderAccountKind).
        long used = creditUsedMinor.getOrDefault(card.accountId(), 0L);
        if (issuer.availableMinor(card.accountId()) - used < fare) {
          arrears.add(new Debit(record, card, fare));
        } else {
          creditUsedMinor.put(card.accountId(), used + fare);
          debits.add(new Debit(record, card, fare));
        }
      } else {
        debits.add(new Debit(record, card, fare));
      }
    }
    long debited = 0;
    List<TransferResult> results = submitAll(debits, "fare", Debit::accountId);
    for (int i = 0; i < debits.size(); i++) {
      Debit debit = debits.get(i);
      switch (results.get(i)) {
        case OK -> {
          cleared.add(new CardRegistry.Cleared(debit.record().cardKey(), "DEBITED", debit.fareMinor()));
          debited += debit.fareMinor();
          accepted++;
        }
        case EXCEEDS_CREDITS -> arrears.add(debit);
        default -> throw new IllegalStateException("ledger refused fare transfer for " + debit.record().id() + ": "
            + results.get(i));
      }
    }
    Set<Pan> denied = new LinkedHashSet<>();
    long arrearsMinor = 0;
    for (Debit debit : arrears) {
      cleared.add(new CardRegistry.Cleared(debit.record().cardKey(), "ARREARS", debit.fareMinor()));
      denied.add(debit.card().pan());
      arrearsMinor += debit.fareMinor();
      refusals.add(new ClearingReport.Refusal(debit.record().id(), debit.record().cardKey(),
          RefusalReason.INSUFFICIENT_FUNDS, "fare " + debit.fareMinor() + " booked to arrears; card on the deny list"));
    }
    // The outcome is recorded before the arrears are posted: a crash in between is repaired by
    // repostArrears() at start-up, never by a resend that could debit the rider as well.
    issuer.registry().recordFile(cleared, cards.values(), denied);
    postArrears(arrears.stream().map(d -> new CardRegistry.Cleared(d.record().cardKey(), "ARREARS", d.fareMinor()))
        .toList());
    return new ClearingReport(issuer.id(), businessDate, sequence, accepted, debited, arrearsMinor,
        refusals, issuer.registry().denyVersion());
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

  /** Submits one transfer per debit (debit account chosen by {@code from}, credit = due to switch) in ledger-sized chunks. */
  private List<TransferResult> submitAll(List<Debit> debits, String purpose,
      java.util.function.ToLongFunction<Debit> from) {
    List<TransferResult> results = new ArrayList<>(debits.size());
    for (int start = 0; start < debits.size(); start += CHUNK) {
      List<Transfer> transfers = new ArrayList<>();
      for (Debit debit : debits.subList(start, Math.min(debits.size(), start + CHUNK))) {
        transfers.add(Transfer.single(transferId(purpose, debit.record().cardKey()), from.applyAsLong(debit),
            issuer.dueToSwitchAccountId(), debit.fareMinor()));
      }
      results.addAll(issuer.submit(transfers));
    }
    return results;
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
    Optional<CardRecord> card = Optional.ofNullable(cards.get(record.pan()))
        .or(() -> Optional.ofNullable(known.get(record.pan())));
    card.ifPresent(c -> cards.putIfAbsent(c.pan(), c));
    if (card.isEmpty() || card.get().panSequence() != record.panSequence()) {
      return refuse(record, RefusalReason.UNKNOWN_CARD, "not a card of " + issuer.id());
    }
    if (card.get().suite() != record.suite()) {
      return refuse(record, RefusalReason.SUITE_MISMATCH, "card is " + card.get().suite());
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
    long quotaAfter = Bcd.decodeAmount(Arrays.copyOfRange(input, QUOTA_AFTER, QUOTA_AFTER + 6));
    if (quotaAfter != record.quotaAfterMinor()) {
      return "record quota after " + record.quotaAfterMinor() + " but the TAC covers " + quotaAfter;
    }
    int currency = Integer.parseInt(Bcd.decodeDigits(Arrays.copyOfRange(input, CURRENCY, CURRENCY + 2)));
    if (currency != record.fare().currency().numericCode()) {
      return "record currency " + record.fare().currency() + " but the TAC covers " + currency;
    }
    byte state = input[CAPP];
    boolean entry = record.kind() == TransitKind.ENTRY;
    if (state != (entry ? 0x01 : 0x02)) {
      return "record kind " + record.kind() + " but the card recorded journey state " + state;
    }
    long amount = Bcd.decodeAmount(Arrays.copyOfRange(input, AMOUNT, AMOUNT + 6));
    if (!entry && amount != record.fare().amountMinor()) {
      return "record fare " + record.fare().amountMinor() + " but the TAC covers " + amount;
    }
    return null;
  }

  /** A positive transfer id from the card transaction: SHA-256 of purpose, issuer, PAN, PSN, ATC. */
  long transferId(String purpose, CardTransactionKey key) {
    {
      byte[] hash = sha256.digest((purpose + "|" + issuer.id() + "|" + key.pan().digits() + "|" + key.panSequence()
          + "|" + key.atc()).getBytes(StandardCharsets.UTF_8));
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
