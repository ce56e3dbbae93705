package io.iotpay.acquirer.transit;

import io.iotpay.foundation.Assert;
import io.iotpay.foundation.codec.PositiveIds;
import io.iotpay.foundation.store.Database;
import io.iotpay.ledger.Account;
import io.iotpay.ledger.AccountResult;
import io.iotpay.ledger.Ledger;
import io.iotpay.ledger.Transfer;
import io.iotpay.ledger.TransferResult;
import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.file.DenyListFile;
import io.iotpay.protocol.file.ExceptionFile;
import io.iotpay.protocol.file.FileHeader;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.IntakeReceipt;
import io.iotpay.protocol.file.IntakeStatus;
import io.iotpay.protocol.file.OfflineFileInbox;
import io.iotpay.protocol.file.SettlementReportFile;
import io.iotpay.protocol.file.TransitFileReader;
import io.iotpay.protocol.file.TransitFileWriter;
import io.iotpay.protocol.journal.JournalFile;
import io.iotpay.protocol.journal.JournalLine;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.pki.SignedDenyLists;
import io.iotpay.protocol.pki.SignedFileException;
import io.iotpay.protocol.pki.VerifiedFile;
import io.iotpay.protocol.settlement.NetPosition;
import io.iotpay.protocol.transit.DenyList;
import io.iotpay.protocol.transit.ExceptionReason;
import io.iotpay.protocol.transit.ExceptionStage;
import io.iotpay.protocol.transit.TransitException;
import io.iotpay.protocol.transit.RecordId;
import io.iotpay.protocol.transit.TransitRecord;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metro operator's back office: collects gate journals, builds the day-T offline transaction
 * file (each record id once), uploads it to the switch, books the fares as revenue receivable from
 * the switch, books the switch's settlement report as received, books the chargebacks the switch
 * netted against it and re-presents a charged-back record once with evidence.
 *
 * <p>Books (its own book only): upload accepted → Dr receivable from switch, Cr fare revenue (the
 * fares the switch accepted, as its receipt says: duplicates it refused are not revenue); settlement → Dr settlement bank account, Cr receivable from switch (its net
 * position; reversed when negative); chargeback → Dr chargebacks, Cr receivable from switch;
 * re-presentment accepted → Dr receivable from switch, Cr chargebacks. What the switch refused
 * stays on the receivable, visible in {@link #receivableMinor()}.
 *
 * <p>State is durable (docs/clearing-files.md §13): records collected, uploads (PREPARED before a
 * file is sent, then the switch's answer), settlements, disputes and deny lists live in its
 * database ({@link OperatorStore}); ledger postings have ids derived from what they book. A crash
 * at any point is completed at the next {@link #upload} (a PREPARED upload is sent again: the switch
 * answers a file it has with its first receipt). Thread-safe (synchronized).
 */
public final class OperatorBackOffice implements AutoCloseable {
  static final long RECEIVABLE_FROM_SWITCH = 1;
  static final long FARE_REVENUE = 2;
  static final long SETTLEMENT_BANK = 3;
  static final long CHARGEBACKS = 4;
  /** A journal line's SHA-256 is the evidence of a re-presentment: the gate's own record, unchanged. */
  static final String EVIDENCE_PREFIX = "journal-sha256:";
  private static final long TRANSFERS_PER_DAY_MAX = 1_000;
  private static final long SETTLEMENT_TRANSFER = 999;
  private static final Logger LOG = LoggerFactory.getLogger(OperatorBackOffice.class);
  private static final Comparator<TransitRecord> JOURNAL_ORDER =
      Comparator.comparing((TransitRecord r) -> r.id().terminalId()).thenComparingLong(r -> r.id().sequence());

  private final OperatorConfig config;
  private final Ledger ledger;
  private final Path outDirectory;
  private final Map<RecordId, TransitRecord> collected = new HashMap<>();
  private final Map<LocalDate, List<TransitRecord>> pending = new TreeMap<>();
  private final Set<LocalDate> settledDays = new HashSet<>();
  private final Map<LocalDate, Long> uploadsPerDay = new HashMap<>();
  private final Map<PartyId, DenyList> denyLists = new TreeMap<>(Comparator.comparing(PartyId::value));
  private long fileSequence;
  private final FileTrust trust;
  private final SignedDenyLists denyListAcceptance;
  private final OperatorStore store;
  /** The database this back office opened itself (closed with it); null when the caller's. */
  private final Database ownDatabase;

  /**
   * Opens the operator's accounts in its book.
   *
   * @param workDirectory where offline files are written; created if missing
   */
  public OperatorBackOffice(OperatorConfig config, Ledger ledger, Path workDirectory) {
    this(config, ledger, workDirectory, null);
  }

  /**
   * As {@link #OperatorBackOffice(OperatorConfig, Ledger, Path)}, with signed files
   * (docs/signed-files.md): its offline files are signed with the operator's key; settlement reports
   * and deny lists are used only once the switch's (or, for a list, its issuer's) signature is
   * verified, before they are parsed; a deny list's version must follow the held one within the bound
   * of {@link SignedDenyLists}. Reports already used are refused as replays (remembered in memory, as
   * the rest of this back office's state).
   *
   * @param trust the operator's signer (role OPERATOR) and verifier; null for unsigned files (unit tests of the file logic)
   */
  public OperatorBackOffice(OperatorConfig config, Ledger ledger, Path workDirectory, FileTrust trust) {
    this(config, ledger, workDirectory, trust, null);
  }

  /**
   * As {@link #OperatorBackOffice(OperatorConfig, Ledger, Path, FileTrust)}, its state in {@code
   * database} (Flyway component {@code acquirer-transit}; SQLite or PostgreSQL), not closed by it.
   * The other constructors keep it in {@code workDirectory/operator.db}. Either way the state of an
   * earlier run on the same store is restored.
   *
   * @param database null for {@code workDirectory/operator.db}
   */
  public OperatorBackOffice(OperatorConfig config, Ledger ledger, Path workDirectory, FileTrust trust,
      Database database) {
    this.trust = trust;
    this.denyListAcceptance = trust == null ? null
        : new SignedDenyLists(trust.verifier(), SignedDenyLists.VERSION_STEP_MAX_DEFAULT, config.limits());
    this.config = config;
    this.ledger = ledger;
    this.outDirectory = workDirectory;
    try {
      Files.createDirectories(workDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + workDirectory, e);
    }
    this.ownDatabase = database == null ? Database.open("jdbc:sqlite:" + workDirectory.resolve("operator.db"), 2) : null;
    this.store = new OperatorStore(database == null ? ownDatabase : database, config.self());
    List<Account> accounts = List.of(account(RECEIVABLE_FROM_SWITCH), account(FARE_REVENUE), account(SETTLEMENT_BANK),
        account(CHARGEBACKS));
    for (AccountResult result : ledger.createAccounts(accounts).join()) {
      Assert.that(result == AccountResult.OK, "operator account not created [result={}]", result);
    }
    restore();
  }

  /** Rebuilds the in-memory views from the store. */
  private void restore() {
    for (OperatorStore.Collected one : store.collected()) {
      collected.put(one.record().id(), one.record());
      if (one.uploadSequence() == 0) {
        pending.computeIfAbsent(one.record().businessDate(), d -> new ArrayList<>()).add(one.record());
      }
    }
    for (OperatorStore.Upload upload : store.uploads()) {
      fileSequence = Math.max(fileSequence, upload.fileSequence());
      if (upload.status().equals("ACCEPTED")) {
        uploadsPerDay.merge(upload.businessDate(), 1L, Long::sum);
      }
    }
    settledDays.addAll(store.settledDays());
    store.denyLists().forEach(list -> denyLists.put(list.issuer(), list));
  }

  private Account account(long local) {
    return Account.of(config.accountIdBase() + local, config.bookId(), config.currency());
  }

  /**
   * Collects a gate journal; a record id seen before is a duplicate if identical, refused otherwise.
   *
   * @param journal never null, no nulls
   */
  public synchronized CollectResult collect(List<TransitRecord> journal) {
    long added = 0;
    long duplicates = 0;
    long refused = 0;
    List<TransitRecord> fresh = new ArrayList<>();
    for (TransitRecord record : journal) {
      TransitRecord known = collected.get(record.id());
      if (known != null && known.equals(record)) {
        duplicates++;
      } else if (known != null || !record.operator().equals(config.self()) || !record.fare().currency()
          .equals(config.currency())) {
        LOG.warn("Journal record refused [record={}, reason={}]", record.id(),
            known != null ? "record id reused with different content" : "another operator's or currency's record");
        refused++;
      } else {
        collected.put(record.id(), record);
        fresh.add(record);
        added++;
      }
    }
    store.insertCollected(fresh);
    fresh.forEach(record -> pending.computeIfAbsent(record.businessDate(), d -> new ArrayList<>()).add(record));
    return new CollectResult(added, duplicates, refused);
  }

  /**
   * Collects a gate's journal file as written (the protocol's journal format, {@link JournalFile}),
   * even while the gate appends to it: a torn last line is skipped. Recovered copies of another
   * operator's transactions (a tap torn at that operator's gate and completed at ours) are skipped
   * and counted as {@link CollectResult#foreign()}: that operator holds the original.
   *
   * @throws io.iotpay.protocol.journal.JournalException when a line other than the last is malformed
   * @throws UncheckedIOException when the file cannot be read
   */
  public CollectResult collectJournal(Path journalFile) {
    List<TransitRecord> own = new ArrayList<>();
    long foreign = 0;
    for (TransitRecord record : JournalFile.readRecords(journalFile)) {
      if (record.operator().equals(config.self())) {
        own.add(record);
      } else {
        foreign++;
      }
    }
    CollectResult collected = collect(own);
    return new CollectResult(collected.added(), collected.duplicates(), collected.refused(), foreign);
  }

  /**
   * Collects a journal written as a transit file (kind OFFLINE).
   *
   * @throws ProtocolException when the file is malformed
   */
  public CollectResult collectFile(Path journalFile) {
    try (InputStream in = Files.newInputStream(journalFile)) {
      return collect(TransitFileReader.readAll(in, FileKind.OFFLINE, config.limits()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read journal " + journalFile, e);
    }
  }

  /**
   * Every record in the offline files this back office wrote (accepted by the switch or not), read
   * back from its work directory in file-name order: what it told the switch, for reconciliation.
   *
   * @throws ProtocolException when one of its files no longer reads
   * @throws UncheckedIOException when the directory or a file cannot be read
   */
  public synchronized List<TransitRecord> uploadedRecords() {
    List<Path> files;
    try (Stream<Path> list = Files.list(outDirectory)) {
      files = list.filter(p -> p.getFileName().toString().startsWith("offline-")
          && p.getFileName().toString().endsWith(".txt")).sorted().toList(); // not the signatures (.txt.sig)
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + outDirectory, e);
    }
    List<TransitRecord> records = new ArrayList<>();
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        records.addAll(TransitFileReader.readAll(in, FileKind.OFFLINE, config.limits()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    return records;
  }

  /** Records of day T collected but not yet in an accepted upload. */
  public synchronized long pendingRecords(LocalDate businessDate) {
    return pending.getOrDefault(businessDate, List.of()).size();
  }

  /**
   * Builds day T's offline file from the records not yet uploaded and delivers it to the switch.
   * On acceptance the file's fares are booked as receivable; on rejection they stay pending. A day
   * already settled may be uploaded again when records of it came late (a torn tap recovered after
   * its night): the switch takes them into its open window (a late presentment). First completes an
   * upload a crash interrupted ({@link #resumeUploads}).
   *
   * @throws IllegalStateException when day T was settled and nothing of it is pending
   */
  public synchronized IntakeReceipt upload(LocalDate businessDate, OfflineFileInbox inbox) {
    resumeUploads(inbox);
    List<TransitRecord> records = new ArrayList<>(pending.getOrDefault(businessDate, List.of()));
    if (settledDays.contains(businessDate) && records.isEmpty()) {
      throw new IllegalStateException("day " + businessDate + " is settled and nothing of it is pending");
    }
    records.sort(JOURNAL_ORDER);
    long sequence = fileSequence + 1;
    store.prepareUpload(sequence, businessDate, records.stream().map(TransitRecord::id).toList());
    fileSequence = sequence;
    pending.remove(businessDate);
    return send(sequence, businessDate, records, inbox);
  }

  /** Business days with records collected and not yet in an accepted upload, oldest first. */
  public synchronized List<LocalDate> pendingDays() {
    return pending.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
  }

  /**
   * Sends again every upload a crash left PREPARED (written and maybe delivered, its answer not
   * booked): the file is rebuilt from its records (the same bytes), and the switch answers a file it
   * has with its first receipt. Called by {@link #upload}; a no-op when there is none.
   */
  public synchronized void resumeUploads(OfflineFileInbox inbox) {
    for (OperatorStore.Upload upload : store.uploads()) {
      if (upload.status().equals("PREPARED")) {
        List<TransitRecord> records = new ArrayList<>();
        for (OperatorStore.Collected one : store.collected()) {
          if (one.uploadSequence() == upload.fileSequence()) {
            records.add(one.record());
          }
        }
        records.sort(JOURNAL_ORDER);
        LOG.info("Upload resumed after a restart [sequence={}, day={}]", upload.fileSequence(), upload.businessDate());
        send(upload.fileSequence(), upload.businessDate(), records, inbox);
      }
    }
  }

  private IntakeReceipt send(long sequence, LocalDate businessDate, List<TransitRecord> records, OfflineFileInbox inbox) {
    Path file = writeOfflineFile(sequence, businessDate, records);
    IntakeReceipt receipt = inbox.receive(file);
    boolean accepted = receipt.status() != IntakeStatus.REJECTED;
    if (accepted) {
      long upload = uploadsPerDay.merge(businessDate, 1L, Long::sum);
      Assert.that(upload < SETTLEMENT_TRANSFER, "too many uploads for one day [day={}]", businessDate);
      // Only what the switch accepted is revenue: a recovered copy another gate already uploaded is not.
      post(transferId(businessDate, upload), RECEIVABLE_FROM_SWITCH, FARE_REVENUE, receipt.faresAcceptedMinor());
    } else {
      records.forEach(record -> pending.computeIfAbsent(businessDate, d -> new ArrayList<>()).add(record));
    }
    store.finishUpload(sequence, accepted, receipt.recordsAccepted(), receipt.faresAcceptedMinor());
    LOG.info("Offline file uploaded [file={}, records={}, status={}]", file.getFileName(), records.size(),
        receipt.status());
    return receipt;
  }

  private Path writeOfflineFile(long sequence, LocalDate businessDate, List<TransitRecord> records) {
    FileHeader header = TransitFileWriter.headerFor(FileKind.OFFLINE, config.self(), config.switchId(), businessDate,
        sequence, config.currency(), records);
    Path file = outDirectory.resolve("offline-" + config.self().value() + "-" + businessDate + "-"
        + header.sequence() + ".txt");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      TransitFileWriter.writeAll(out, header, records);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    if (trust != null) {
      trust.signer().sign(file, header);
    }
    return file;
  }

  /**
   * Books the switch's settlement report for window T: the operator's net position, received into
   * its settlement bank account (paid from it when negative: a window whose chargebacks outweigh the
   * operator's fares). A report booked already books nothing again.
   *
   * @return the operator's net position in minor units
   * @throws ProtocolException when the file is malformed, not from the switch to this operator, or
   *     has no position for it
   * @throws io.iotpay.protocol.pki.SignedFileException with signed files, with its reason (a report
   *     booked already is REPLAYED); nothing changes
   */
  public synchronized long receiveSettlement(Path reportFile) {
    VerifiedFile verified = trust == null ? null : trust.verifier().verify(reportFile, FileKind.SETTLEMENT,
        claims -> settledDays.contains(claims.businessDate()));
    SettlementReportFile.Read read;
    try (InputStream in = Files.newInputStream(reportFile)) {
      read = SettlementReportFile.read(in, config.limits());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + reportFile, e);
    }
    if (verified != null) {
      verified.requireHeader(read.header());
    }
    if (!read.header().sender().equals(config.switchId()) || !read.header().receiver().equals(config.self())) {
      throw new ProtocolException("settlement report " + reportFile.getFileName() + " is from "
          + read.header().sender() + " to " + read.header().receiver() + ", not from the switch to " + config.self());
    }
    long netMinor = read.report().positions().stream().filter(p -> p.party().equals(config.self()))
        .map(NetPosition::net).findFirst()
        .orElseThrow(() -> new ProtocolException("settlement report has no position for " + config.self()))
        .amountMinor();
    LocalDate day = read.report().businessDate();
    if (netMinor >= 0) {
      post(transferId(day, SETTLEMENT_TRANSFER), SETTLEMENT_BANK, RECEIVABLE_FROM_SWITCH, netMinor);
    } else {
      post(transferId(day, SETTLEMENT_TRANSFER), RECEIVABLE_FROM_SWITCH, SETTLEMENT_BANK, -netMinor);
    }
    if (settledDays.add(day)) {
      store.insertSettlement(day, netMinor);
    }
    LOG.info("Settlement received [day={}, netMinor={}]", day, netMinor);
    return netMinor;
  }

  /**
   * Books the switch's notice of the chargebacks a window netted against this operator: per record,
   * Dr chargebacks, Cr receivable from switch (ids from the record: a notice read again books once).
   *
   * @return the amount charged back by the notice, minor units
   * @throws ProtocolException when the notice is malformed, not from the switch to this operator, or
   *     holds another stage or operator
   * @throws io.iotpay.protocol.pki.SignedFileException with signed files, with its reason; nothing changes
   */
  public synchronized long receiveExceptionNotice(Path notice) {
    VerifiedFile verified = trust == null ? null : trust.verifier().verify(notice, FileKind.EXCEPTION,
        claims -> store.exceptions().stream().anyMatch(h -> h.stage() == ExceptionStage.CHARGEBACK
            && h.fileSequence() == claims.sequence()));
    ExceptionFile.Read read;
    try (InputStream in = Files.newInputStream(notice)) {
      read = ExceptionFile.read(in, config.limits());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + notice, e);
    }
    if (verified != null) {
      verified.requireHeader(read.header());
    }
    if (!read.header().sender().equals(config.switchId()) || !read.header().receiver().equals(config.self())) {
      throw new ProtocolException("exception notice " + notice.getFileName() + " is not from the switch to " + config.self());
    }
    for (TransitException line : read.exceptions()) {
      if (line.stage() != ExceptionStage.CHARGEBACK || !line.operator().equals(config.self())) {
        throw new ProtocolException("exception notice holds a " + line.stage() + " of " + line.operator());
      }
    }
    long totalMinor = 0;
    for (TransitException line : read.exceptions()) {
      postOnce("chargeback", line, CHARGEBACKS, RECEIVABLE_FROM_SWITCH);
      totalMinor += line.fareMinor();
    }
    store.insertExceptions(read.exceptions(), read.header().sequence());
    LOG.info("Chargebacks received [notice={}, count={}, amountMinor={}]", notice.getFileName(),
        read.exceptions().size(), totalMinor);
    return totalMinor;
  }

  /**
   * Re-presents a record the switch charged back, once, with the gate's record as evidence (the
   * SHA-256 of its journal line): writes (and with signed files signs) a one-line exception file and
   * sends it to the switch; when the switch accepts the line, books Dr receivable from switch, Cr
   * chargebacks (the next window pays the fare again).
   *
   * @param switchExceptions the switch's exception intake (its {@code receiveExceptions})
   * @return the switch's receipt (its recordsAccepted is 1 when the line was taken)
   * @throws IllegalArgumentException when the record was not charged back or was re-presented already
   */
  public synchronized IntakeReceipt represent(RecordId recordId, Function<Path, IntakeReceipt> switchExceptions) {
    OperatorStore.Held chargeback = chargebackToAnswer(recordId);
    TransitRecord record = collected.get(recordId);
    Assert.that(record != null, "a charged-back record the back office never collected [record={}]", recordId);
    return sendRepresentment(new TransitException(ExceptionStage.REPRESENTMENT,
        ExceptionReason.valueOf(chargeback.reason()), config.self(), record.businessDate(), recordId, record.cardKey(),
        chargeback.fareMinor(), evidence(record)), switchExceptions);
  }

  /**
   * Re-presents a charged-back record once, corrected to its gate's own record {@code journaled}:
   * for a record this back office changed after the gate journaled it (a re-rating with a stale fare
   * table, which the issuer refused as AMOUNT_MISMATCH), the fare the card's TAC covers. The line
   * claims the journaled fare, at most the fare charged back (the switch refuses more), with the
   * SHA-256 of the gate's journal line as evidence; when the switch takes it, books Dr receivable
   * from switch, Cr chargebacks for that fare (the difference stays charged back).
   *
   * @param journaled the gate's record as its journal holds it: the same record id and card
   *     transaction as the one uploaded
   * @return the switch's receipt (its recordsAccepted is 1 when the line was taken)
   * @throws IllegalArgumentException when the record was not charged back or was re-presented
   *     already, when {@code journaled} is not the uploaded record's card transaction and kind, or
   *     claims more than was charged back; nothing is sent
   */
  public synchronized IntakeReceipt representCorrected(TransitRecord journaled,
      Function<Path, IntakeReceipt> switchExceptions) {
    RecordId recordId = journaled.id();
    OperatorStore.Held chargeback = chargebackToAnswer(recordId);
    TransitRecord uploaded = collected.get(recordId);
    Assert.that(uploaded != null, "a charged-back record the back office never collected [record={}]", recordId);
    if (!uploaded.cardKey().equals(journaled.cardKey()) || uploaded.kind() != journaled.kind()
        || !uploaded.operator().equals(journaled.operator())) {
      throw new IllegalArgumentException("record " + recordId + " as journaled is not the card transaction uploaded");
    }
    long fareMinor = journaled.fare().amountMinor();
    if (fareMinor > chargeback.fareMinor()) {
      throw new IllegalArgumentException("record " + recordId + " as journaled claims " + fareMinor + ", more than the "
          + chargeback.fareMinor() + " charged back");
    }
    return sendRepresentment(new TransitException(ExceptionStage.REPRESENTMENT,
        ExceptionReason.valueOf(chargeback.reason()), config.self(), journaled.businessDate(), recordId,
        journaled.cardKey(), fareMinor, evidence(journaled)), switchExceptions);
  }

  /** The chargeback of {@code recordId} not yet re-presented. */
  private OperatorStore.Held chargebackToAnswer(RecordId recordId) {
    OperatorStore.Held chargeback = held(recordId, ExceptionStage.CHARGEBACK)
        .orElseThrow(() -> new IllegalArgumentException("record " + recordId + " was not charged back"));
    if (held(recordId, ExceptionStage.REPRESENTMENT).isPresent()) {
      throw new IllegalArgumentException("record " + recordId + " was re-presented already");
    }
    return chargeback;
  }

  /**
   * Sends {@code line} in a one-line exception file; books it when the switch takes it. A file of
   * this record sent before without a recorded answer (a crash in between) is sent again under its
   * number, so the switch answers it with its first receipt instead of a second re-presentment.
   */
  private IntakeReceipt sendRepresentment(TransitException line, Function<Path, IntakeReceipt> switchExceptions) {
    long sequence = store.unansweredExceptionFile(line.recordId());
    if (sequence == 0) {
      sequence = store.lastSentExceptionFile() + 1;
      store.insertSentExceptionFile(sequence, line.businessDate(), line.recordId());
    }
    Path file = outDirectory.resolve("representment-" + config.self().value() + "-" + sequence + ".txt");
    try (OutputStream out = Files.newOutputStream(file)) {
      ExceptionFile.write(out, config.self(), config.switchId(), line.businessDate(), sequence, config.currency(),
          List.of(line));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    if (trust != null) {
      trust.signer().sign(file, FileKind.EXCEPTION);
    }
    IntakeReceipt receipt = switchExceptions.apply(file);
    if (receipt.status() == IntakeStatus.REJECTED) {
      LOG.warn("Re-presentment file refused [record={}, reason={}]", line.recordId(), receipt.reason());
      return receipt; // the file's number stays unanswered: the same file may be sent again
    }
    boolean taken = receipt.recordsAccepted() == 1;
    if (taken) {
      postOnce("representment", line, RECEIVABLE_FROM_SWITCH, CHARGEBACKS);
    }
    store.answerExceptionFile(sequence, taken ? line : null);
    LOG.info("Re-presentment sent [record={}, status={}, reason={}]", line.recordId(), receipt.status(),
        receipt.reason());
    return receipt;
  }

  /** The evidence of a re-presentment: the SHA-256 of the gate's journal line for the record. */
  static String evidence(TransitRecord record) {
    try {
      return EVIDENCE_PREFIX + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
          JournalLine.encode(record).getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private Optional<OperatorStore.Held> held(RecordId recordId, ExceptionStage stage) {
    return store.exceptions().stream().filter(h -> h.recordId().equals(recordId) && h.stage() == stage).findFirst();
  }

  /** Chargebacks received, as the switch's notices said. */
  public synchronized List<TransitException> chargebacks() {
    return disputes(ExceptionStage.CHARGEBACK);
  }

  /**
   * Re-presentments the switch accepted, with the fare each claimed (the evidence shown is that of
   * the record as collected, also for a corrected re-presentment).
   */
  public synchronized List<TransitException> representments() {
    return disputes(ExceptionStage.REPRESENTMENT);
  }

  private List<TransitException> disputes(ExceptionStage stage) {
    List<TransitException> out = new ArrayList<>();
    for (OperatorStore.Held h : store.exceptions()) {
      TransitRecord record = collected.get(h.recordId());
      if (h.stage() == stage && record != null) {
        out.add(new TransitException(stage, ExceptionReason.valueOf(h.reason()), config.self(), h.businessDate(),
            h.recordId(), record.cardKey(), h.fareMinor(), stage == ExceptionStage.CHARGEBACK
                ? TransitException.NO_EVIDENCE : evidence(record)));
      }
    }
    return out;
  }

  /** The windows whose settlement report was booked. */
  public synchronized Set<LocalDate> settledDays() {
    return Set.copyOf(settledDays);
  }

  /** Fares charged back and not re-presented, minor units. */
  public long chargebacksMinor() {
    return ledger.balance(config.accountIdBase() + CHARGEBACKS).map(b -> b.debitBalanceMinor()).orElse(0L);
  }

  /** Closes the database it opened itself (not one the caller passed). */
  @Override
  public void close() {
    if (ownDatabase != null) {
      ownDatabase.close();
    }
  }

  private void postOnce(String purpose, TransitException line, long debitLocal, long creditLocal) {
    if (line.fareMinor() == 0) {
      return;
    }
    long id = PositiveIds.of(purpose + "|" + config.self() + "|" + line.recordId().terminalId() + "|"
        + line.recordId().sequence());
    TransferResult result = ledger.submit(List.of(Transfer.single(id, config.accountIdBase() + debitLocal,
        config.accountIdBase() + creditLocal, line.fareMinor()))).join().get(0);
    Assert.that(result == TransferResult.OK, "operator posting refused [id={}, result={}]", id, result);
  }

  /**
   * Takes a deny list the switch distributed; the highest version per issuer wins (with signed
   * files: only a signed list whose version follows the held one within the bound; a version held
   * already is not taken, false).
   *
   * @return true when it replaced the issuer's list
   * @throws io.iotpay.protocol.pki.SignedFileException with signed files, for a list refused for another reason
   */
  public synchronized boolean receiveDenyList(Path file) {
    if (denyListAcceptance != null) {
      DenyList list;
      try {
        list = denyListAcceptance.accept(file, issuer -> {
          DenyList held = denyLists.get(issuer);
          return held == null ? 0 : held.version();
        });
      } catch (SignedFileException e) {
        if (e.reason() == SignedFileException.Reason.REPLAYED) {
          return false; // the list held is this one or a later one, as in the unsigned path
        }
        throw e;
      }
      denyLists.put(list.issuer(), list);
      store.putDenyList(list);
      return true;
    }
    DenyListFile.Read read;
    try (InputStream in = Files.newInputStream(file)) {
      read = DenyListFile.read(in, config.limits());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    if (!read.header().receiver().equals(config.self())) {
      throw new ProtocolException("deny list " + file.getFileName() + " is for " + read.header().receiver());
    }
    DenyList current = denyLists.get(read.denyList().issuer());
    if (current != null && current.version() >= read.denyList().version()) {
      return false;
    }
    denyLists.put(read.denyList().issuer(), read.denyList());
    store.putDenyList(read.denyList());
    return true;
  }

  /** The current deny list of each issuer, for the gates. */
  public synchronized List<DenyList> denyLists() {
    return List.copyOf(denyLists.values());
  }

  /** Fares uploaded but not (yet) settled by the switch, minor units. */
  public long receivableMinor() {
    return ledger.balance(config.accountIdBase() + RECEIVABLE_FROM_SWITCH).map(b -> b.debitBalanceMinor()).orElse(0L);
  }

  /** Fare revenue booked, minor units. */
  public long fareRevenueMinor() {
    return ledger.balance(config.accountIdBase() + FARE_REVENUE).map(b -> b.creditBalanceMinor()).orElse(0L);
  }

  /** Money received from settlements, minor units. */
  public long settledMinor() {
    return ledger.balance(config.accountIdBase() + SETTLEMENT_BANK).map(b -> b.debitBalanceMinor()).orElse(0L);
  }

  private long transferId(LocalDate day, long local) {
    return Math.addExact(config.transferIdBase(), Math.addExact(Math.multiplyExact(day.toEpochDay(),
        TRANSFERS_PER_DAY_MAX), local));
  }

  private void post(long id, long debitLocal, long creditLocal, long amountMinor) {
    if (amountMinor == 0) {
      return;
    }
    TransferResult result = ledger.submit(List.of(Transfer.single(id, config.accountIdBase() + debitLocal,
        config.accountIdBase() + creditLocal, amountMinor))).join().get(0);
    Assert.that(result == TransferResult.OK, "operator posting refused [id={}, result={}]", id, result);
  }
}
