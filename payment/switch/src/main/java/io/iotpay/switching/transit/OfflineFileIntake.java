package io.iotpay.switching.transit;

import io.iotpay.protocol.PartyId;
import io.iotpay.protocol.ProtocolException;
import io.iotpay.protocol.file.FileHeader;
import io.iotpay.protocol.file.FileKind;
import io.iotpay.protocol.file.IntakeReceipt;
import io.iotpay.protocol.file.IntakeStatus;
import io.iotpay.protocol.file.OfflineFileInbox;
import io.iotpay.protocol.file.RecordSummary;
import io.iotpay.protocol.file.SummaryReadAhead;
import io.iotpay.protocol.file.TransitFileReader;
import io.iotpay.protocol.pki.DigestingInputStream;
import io.iotpay.protocol.pki.FileClaims;
import io.iotpay.protocol.pki.FileSigner;
import io.iotpay.protocol.pki.FileTrust;
import io.iotpay.protocol.pki.SignedFileException;
import io.iotpay.protocol.pki.VerifiedFile;
import io.iotpay.switching.SwitchConfig;
import io.iotpay.switching.SwitchStore;
import io.iotpay.switching.settlement.SettlementWindow;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The switch's intake of operators' offline files (docs/clearing-files.md §4-5): refuses malformed
 * files and records with recorded reasons, de-duplicates across files and re-uploads (record ids and
 * card transactions), routes each record to its issuer by card range and spools it into its business
 * day's {@link DayClearing}. Accepted files are archived and recorded in the switch's store; at
 * start-up the archived files of unsettled windows are replayed in acceptance order, which rebuilds
 * the seen keys, spools and totals exactly (§8). A file for a day already settled is a late
 * presentment: its records go to the window open now, keeping their business date (§12). The
 * rejection log is kept in memory only. With a {@link
 * FileTrust}, each file's signature is verified on the switch's copy before anything else
 * (docs/signed-files.md).
 *
 * <p>Thread-safe: every public method is synchronized (intake is sequential per switch anyway).
 */
public final class OfflineFileIntake implements OfflineFileInbox {
  private static final Logger LOG = LoggerFactory.getLogger(OfflineFileIntake.class);
  /**
   * How many days before the last settled day a file may still be presented late. Bounds what a
   * restart replays to rebuild the seen keys of settled days (a late copy of a settled record must
   * still be refused as a duplicate), and so the restart's cost; older files are refused.
   */
  static final int LATE_PRESENTMENT_DAYS_MAX = 30;

  private final SwitchConfig config;
  private final SwitchStore store;
  private final Path spoolDirectory;
  private final Path archive;
  private final CardRangeTable routes;
  private final List<PartyId> operators;
  /** Signed files (docs/signed-files.md): null only in unit tests of the unsigned file logic. */
  private final FileTrust trust;
  private long acceptedSequence;
  private final LongPairSet seenCardKeys = new LongPairSet();
  private final LongPairSet seenRecordIds = new LongPairSet();
  private final Map<TerminalKey, Long> terminalNumbers = new HashMap<>();
  private final Map<FileKey, Accepted> acceptedFiles = new HashMap<>();
  private final Map<LocalDate, DayClearing> days = new TreeMap<>();
  private final List<Rejection> rejections = new ArrayList<>();
  private long rejectionsTotal;

  private record FileKey(PartyId sender, long sequence) {}

  /**
   * An accepted file's checksum and the receipt it got (repeated to a re-upload), and the digest of
   * its bytes computed for its signature (null for a file accepted before a restart or unsigned).
   */
  private record Accepted(byte[] checksum, IntakeReceipt receipt, byte[] fileDigest) {
    IntakeReceipt again(String reason) {
      return new IntakeReceipt(IntakeStatus.ALREADY_ACCEPTED, receipt.recordsAccepted(), receipt.recordsRefused(),
          receipt.faresAcceptedMinor(), reason);
    }
  }

  /**
   * Rebuilds the intake from the store and the archive.
   *
   * @param spoolDirectory where days' spools live; must exist
   * @param archive where accepted files are kept; must exist and be the same across restarts
   * @throws UncheckedIOException when an archived file cannot be read
   * @throws io.iotpay.switching.SwitchStoreException when the store cannot be read
   */
  public OfflineFileIntake(SwitchConfig config, SwitchStore store, Path spoolDirectory, Path archive) {
    this(config, store, spoolDirectory, archive, null);
  }

  /**
   * As {@link #OfflineFileIntake(SwitchConfig, SwitchStore, Path, Path)}, and every file must come
   * with its sender's signature ({@code <file>.sig}), verified before a byte of the file is parsed.
   *
   * @param trust the switch's signer and verifier; null accepts unsigned files (unit tests of the file logic)
   */
  public OfflineFileIntake(SwitchConfig config, SwitchStore store, Path spoolDirectory, Path archive, FileTrust trust) {
    this.trust = trust;
    this.config = config;
    this.store = store;
    this.spoolDirectory = spoolDirectory;
    this.archive = archive;
    this.routes = new CardRangeTable(config.ranges());
    this.operators = config.operators().stream().sorted(SwitchConfig.PARTY_ORDER).distinct().toList();
    recover();
  }

  /**
   * Closes business day T to intake for settlement on {@code today}: later files for T are refused.
   *
   * @return the day's accepted records (empty when none came)
   * @throws IllegalStateException when {@code today} is not after T or T was settled already; nothing changes
   */
  synchronized DayClearing closeForSettlement(LocalDate businessDate, LocalDate today) {
    DayClearing known = days.get(businessDate);
    SettlementWindow.requireOpen(businessDate, today, known != null && known.settled());
    DayClearing day = newDay(businessDate);
    day.markSettled();
    return day;
  }

  /** Deletes open days' spools. */
  synchronized void close() {
    days.values().forEach(DayClearing::close);
  }

  /** Rebuilds the intake state from the database and the archive. */
  private void recover() {
    for (LocalDate settled : store.settledDays()) {
      newDay(settled).markSettled();
    }
    for (SwitchStore.AcceptedFile file : store.acceptedFiles()) {
      acceptedFiles.put(new FileKey(file.sender(), file.fileSequence()), new Accepted(
          HexFormat.of().parseHex(file.sha256Hex()), new IntakeReceipt(IntakeStatus.ACCEPTED, file.recordsAccepted(),
          file.recordsRefused(), file.faresAcceptedMinor(), ""), null));
      acceptedSequence = file.acceptedSequence();
      DayClearing window = days.get(file.windowDate());
      boolean open = window == null || !window.settled();
      // Files of open windows are replayed whole; those of settled days within the late presentment
      // horizon for their seen keys only (their spools are dropped below).
      if (open || !file.businessDate().isBefore(lateHorizon())) {
        Path archived = archive.resolve(file.archiveName());
        Read read = intake(archived, file.windowDate());
        if (read.refusal() != null) {
          throw new ProtocolException("archived file " + file.archiveName() + " no longer reads: " + read.refusal());
        }
        read.intake().commit();
      }
    }
    days.values().stream().filter(DayClearing::settled).forEach(DayClearing::close);
    LOG.info("Switch recovered [acceptedFiles={}, settledDays={}]", acceptedFiles.size(), store.settledDays().size());
  }

  private DayClearing newDay(LocalDate businessDate) {
    return days.computeIfAbsent(businessDate, d -> new DayClearing(d, spoolDirectory, config.currency()));
  }

  @Override
  public synchronized IntakeReceipt receive(Path file) {
    String name = String.valueOf(file.getFileName());
    Path copy = archive.resolve("incoming-" + (acceptedSequence + 1) + ".txt");
    Path signatureCopy = FileSigner.signaturePath(copy);
    DigestingInputStream content = null;
    // The intake pass (and the signature's digest) cover the switch's own copy, so the file cannot
    // change between them; the digest is computed as the copy is written, from the very bytes
    // written (one read of the upload instead of a copy and a second read to hash the copy).
    try (InputStream upload = Files.newInputStream(file)) {
      if (trust != null) {
        content = trust.verifier().digesting(upload);
      }
      Files.copy(content == null ? upload : content, copy, StandardCopyOption.REPLACE_EXISTING);
      Files.deleteIfExists(signatureCopy);
      if (trust != null && Files.exists(FileSigner.signaturePath(file))) {
        Files.copy(FileSigner.signaturePath(file), signatureCopy);
      }
    } catch (IOException e) {
      return rejectFile(name, "cannot read the file: " + e.getMessage());
    }
    IntakeReceipt receipt = receiveCopy(copy, name, content);
    if (Files.exists(copy)) {
      delete(copy);
    }
    delete(signatureCopy);
    return receipt;
  }

  /** {@code content}: the copy's bytes as they were written, hashed; null without signed files. */
  private IntakeReceipt receiveCopy(Path copy, String name, DigestingInputStream content) {
    VerifiedFile verified = null;
    if (trust != null) {
      try {
        verified = trust.verifier().verify(copy, content, FileKind.OFFLINE,
            claims -> acceptedFiles.containsKey(new FileKey(claims.sender(), claims.sequence())));
      } catch (SignedFileException e) {
        FileClaims replayed = e.replayedClaims();
        Accepted known = replayed == null ? null : acceptedFiles.get(new FileKey(replayed.sender(), replayed.sequence()));
        if (known != null && sameFile(known, content, copy)) {
          LOG.info("Offline file replayed, no-op [file={}, sender={}, sequence={}]", name, replayed.sender(),
              replayed.sequence());
          return known.again(e.getMessage());
        }
        return rejectFile(name, e.getMessage());
      }
    }
    FileHeader header;
    try (InputStream in = Files.newInputStream(copy)) {
      header = TransitFileReader.open(in, FileKind.OFFLINE, config.limits()).header();
    } catch (ProtocolException e) {
      return rejectFile(name, e.getMessage());
    } catch (IOException e) {
      return rejectFile(name, "cannot read the file: " + e.getMessage());
    }
    if (verified != null) {
      try {
        verified.requireHeader(header);
      } catch (SignedFileException e) {
        return rejectFile(name, e.getMessage());
      }
    }
    String refusal = headerRefusal(header);
    if (refusal != null) {
      return rejectFile(name, refusal);
    }
    Accepted known = acceptedFiles.get(new FileKey(header.sender(), header.sequence()));
    if (known != null) {
      if (sameFile(known, content, copy)) { // the accepted file again: no parsing
        LOG.info("Offline file re-uploaded, no-op [file={}, sender={}, sequence={}]", name, header.sender(), header.sequence());
        return known.again("file already accepted");
      }
      try {
        verify(copy); // a defect of its own is the more useful reason
      } catch (ProtocolException e) {
        return rejectFile(name, e.getMessage());
      }
      return rejectFile(name, "sequence " + header.sequence() + " of " + header.sender()
          + " was already used by a file with different content");
    }
    // One pass: records are counted as they are read and taken back if the trailer does not verify.
    Read read = intake(copy, windowFor(header.businessDate()));
    if (read.refusal() != null) {
      return rejectFile(name, read.refusal());
    }
    Intake intake = read.intake();
    IntakeReceipt receipt = new IntakeReceipt(IntakeStatus.ACCEPTED, intake.accepted, intake.refused,
        intake.faresAccepted, "");
    String archiveName = header.sender().value() + "-" + header.sequence() + "-" + header.businessDate() + ".txt";
    // Until the file is archived and recorded, the pass stays provisional: a failure takes it back.
    try {
      Files.move(copy, archive.resolve(archiveName), StandardCopyOption.REPLACE_EXISTING);
      store.insertAcceptedFile(new SwitchStore.AcceptedFile(acceptedSequence + 1, header.sender(), header.sequence(),
          HexFormat.of().formatHex(intake.checksum), header.businessDate(), archiveName, intake.day.businessDate(),
          intake.accepted, intake.refused, intake.faresAccepted));
    } catch (IOException e) {
      intake.rollback();
      throw new UncheckedIOException("cannot archive offline file " + name, e);
    } catch (RuntimeException e) {
      intake.rollback();
      throw e;
    }
    acceptedSequence++;
    acceptedFiles.put(new FileKey(header.sender(), header.sequence()), new Accepted(intake.checksum, receipt,
        content == null ? null : content.fileDigest().orElse(null)));
    intake.commit();
    LOG.info("Offline file accepted [file={}, sender={}, sequence={}, day={}, window={}, records={}, refused={}]",
        name, header.sender(), header.sequence(), header.businessDate(), intake.day.businessDate(), intake.accepted,
        intake.refused);
    return receipt;
  }

  /**
   * Whether {@code copy} is the accepted file again: its bytes' digest, computed while it was copied
   * for its signature, equals the accepted file's (no read); otherwise (no digest to compare, or
   * digests that differ) the checksum check, one hash of the copy.
   */
  private static boolean sameFile(Accepted known, DigestingInputStream content, Path copy) {
    if (known.fileDigest() != null && content != null) {
      java.util.Optional<byte[]> digest = content.fileDigest();
      if (digest.isPresent() && MessageDigest.isEqual(digest.get(), known.fileDigest())) {
        return true;
      }
    }
    return TransitFileReader.hasChecksum(copy, known.checksum());
  }

  private static void delete(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path, e);
    }
  }

  /** The whole file's integrity (checksum, count, total), counting nothing. */
  private TransitFileReader verify(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      TransitFileReader reader = TransitFileReader.open(in, FileKind.OFFLINE, config.limits());
      while (reader.next()) {
        // integrity only: records are decoded in the second pass
      }
      return reader;
    } catch (IOException e) {
      throw new ProtocolException("cannot read the file: " + e.getMessage());
    } catch (UncheckedIOException e) {
      throw new ProtocolException("cannot read the file: " + e.getCause().getMessage());
    }
  }

  private String headerRefusal(FileHeader header) {
    if (!header.receiver().equals(config.self())) {
      return "file is addressed to " + header.receiver() + ", not to this switch " + config.self();
    }
    if (!operators.contains(header.sender())) {
      return "sender " + header.sender() + " is not an operator of this scheme";
    }
    if (!header.currency().equals(config.currency())) {
      return "file currency " + header.currency() + " is not the settlement currency " + config.currency();
    }
    if (header.businessDate().isBefore(lateHorizon())) {
      return "business day " + header.businessDate() + " is more than " + LATE_PRESENTMENT_DAYS_MAX
          + " days before the last settled day: too late to present";
    }
    return null;
  }

  /**
   * The settlement window a file for {@code businessDate} goes to: its own day while that is open;
   * once the day has settled (a late presentment, e.g. a torn tap recovered days later), the window
   * open now, the day after the last settled one. Records keep their own business date.
   */
  private LocalDate windowFor(LocalDate businessDate) {
    DayClearing day = days.get(businessDate);
    if (day == null || !day.settled()) {
      return businessDate;
    }
    return lastSettled().plusDays(1);
  }

  /** The latest settled day, or {@link LocalDate#MIN} when none is. */
  private LocalDate lastSettled() {
    LocalDate last = LocalDate.MIN;
    for (DayClearing known : days.values()) {
      if (known.settled() && known.businessDate().isAfter(last)) {
        last = known.businessDate();
      }
    }
    return last;
  }

  /** The oldest business day a file may be for: {@link #LATE_PRESENTMENT_DAYS_MAX} before the last settled one. */
  private LocalDate lateHorizon() {
    LocalDate last = lastSettled();
    return last.equals(LocalDate.MIN) ? LocalDate.MIN : last.minusDays(LATE_PRESENTMENT_DAYS_MAX);
  }

  /**
   * One file's records read, checked, de-duplicated, routed and spooled in ONE pass, provisionally:
   * the seen sets, the day's spools and fares, and the record rejections are marked before and taken
   * back ({@link #rollback()}) when the file turns out damaged (a malformed line, or a checksum, count
   * or total that the trailer does not verify), so a damaged file counts nothing, as if it had been
   * verified first. Kept on {@link #commit()}.
   */
  private final class Intake {
    final DayClearing day;
    final boolean newDay;
    final DayClearing.Mark dayMark;
    /** Record rejections to record on commit: the first rejectionsKeptMax, and how many more. */
    final List<Rejection> staged = new ArrayList<>();
    long stagedBeyondKept;
    long accepted;
    long refused;
    long faresAccepted;
    byte[] checksum;

    Intake(LocalDate businessDate) {
      this.newDay = !days.containsKey(businessDate);
      this.day = newDay(businessDate);
      this.dayMark = day.mark();
      seenCardKeys.mark();
      seenRecordIds.mark();
    }

    void reject(Rejection rejection) {
      if (staged.size() < config.rejectionsKeptMax()) {
        staged.add(rejection);
      } else {
        stagedBeyondKept++;
      }
    }

    void commit() {
      seenCardKeys.commit();
      seenRecordIds.commit();
      staged.forEach(OfflineFileIntake.this::record);
      rejectionsTotal += stagedBeyondKept;
    }

    void rollback() {
      seenCardKeys.rollback();
      seenRecordIds.rollback();
      day.rollback(dayMark);
      if (newDay) {
        days.remove(day.businessDate()).close();
      }
    }
  }

  /** What {@link #intake} gives: a provisional intake to commit, or why the file was refused (nothing counted). */
  private record Read(Intake intake, String refusal) {}

  /**
   * Reads {@code file} once into a provisional {@link Intake} of settlement window {@code window}
   * for the caller to commit, or refuses it
   * with nothing counted. Lines are framed, checked and summarized on a read-ahead thread while this
   * one de-duplicates, routes and spools them.
   */
  private Read intake(Path file, LocalDate window) {
    Intake intake = null;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        SummaryReadAhead reader = SummaryReadAhead.open(in, FileKind.OFFLINE, config.limits())) {
      FileHeader header = reader.header();
      intake = new Intake(window);
      seenCardKeys.reserve(header.recordCount());
      seenRecordIds.reserve(header.recordCount());
      for (SummaryReadAhead.Batch batch = reader.next(); batch != null; batch = reader.next()) {
        for (int i = 0; i < batch.size(); i++) {
          RecordSummary taken = take(batch, i, header, intake);
          if (taken != null) {
            intake.accepted++;
            intake.faresAccepted = Math.addExact(intake.faresAccepted, taken.fareMinor());
          } else {
            intake.refused++;
          }
        }
      }
      intake.checksum = reader.checksum();
      return new Read(intake, null);
    } catch (ProtocolException | IOException | UncheckedIOException e) {
      if (intake != null) {
        intake.rollback();
      }
      return new Read(null, e instanceof ProtocolException ? e.getMessage() : "cannot read the file: "
          + (e instanceof UncheckedIOException u ? u.getCause().getMessage() : e.getMessage()));
    } catch (RuntimeException e) { // a fault of the switch's own, not of the file: still nothing counted
      if (intake != null) {
        intake.rollback();
      }
      throw e;
    }
  }

  private static long cardLow(RecordSummary record) {
    return (long) record.pan().digits().length() << 32 | (long) record.panSequence() << 16 | record.atc();
  }

  /** @return the record's summary when it was accepted, null when refused (the reason staged with the intake) */
  private RecordSummary take(SummaryReadAhead.Batch batch, int i, FileHeader header, Intake intake) {
    // The file's name for rejections is built only when one is recorded (not once per record).
    Supplier<String> name = () -> header.sender() + "#" + header.sequence();
    long line = batch.lineNumber(i);
    RecordSummary record = batch.summary(i);
    if (record == null) {
      rejectRecord(intake, name.get(), line, "", batch.refusal(i).getMessage());
      return null;
    }
    String reason = recordRefusal(record, header);
    if (reason != null) {
      rejectRecord(intake, name.get(), line, record.id().toString(), reason);
      return null;
    }
    PartyId issuer = routes.issuerOf(record.pan()).orElse(null);
    if (issuer == null) {
      rejectRecord(intake, name.get(), line, record.id().toString(), "no card range routes PAN " + record.pan().masked());
      return null;
    }
    long terminal = terminalNumber(record);
    long panHigh = Long.parseUnsignedLong(record.pan().digits());
    long cardLow = cardLow(record);
    if (seenRecordIds.contains(terminal, record.id().sequence())) {
      rejectRecord(intake, name.get(), line, record.id().toString(), "duplicate record id " + record.id());
      return null;
    }
    if (!seenCardKeys.add(panHigh, cardLow)) { // one probe: refused when present, else remembered
      rejectRecord(intake, name.get(), line, record.id().toString(), "duplicate card transaction (card "
          + record.pan().masked() + "/" + record.panSequence() + ", ATC " + record.atc() + ")");
      return null;
    }
    seenRecordIds.add(terminal, record.id().sequence());
    intake.day.accept(batch, i, record, issuer);
    return record;
  }

  private static String recordRefusal(RecordSummary record, FileHeader header) {
    if (!record.operator().equals(header.sender())) {
      return "record of operator " + record.operator() + " in a file from " + header.sender();
    }
    if (!record.businessDate().equals(header.businessDate())) {
      return "record of business day " + record.businessDate() + " in a file for " + header.businessDate();
    }
    return null;
  }

  /** Record ids are unique per operator and terminal: number each (operator, terminal) once. */
  private long terminalNumber(RecordSummary record) {
    TerminalKey key = new TerminalKey(record.operator(), record.id().terminalId());
    return terminalNumbers.computeIfAbsent(key, k -> (long) terminalNumbers.size());
  }

  /** An operator's terminal (no string built per record to look it up). */
  private record TerminalKey(PartyId operator, String terminalId) {}

  private IntakeReceipt rejectFile(String fileName, String reason) {
    LOG.warn("Offline file rejected [file={}, reason={}]", fileName, reason);
    record(new Rejection(fileName, 0, "", reason));
    return new IntakeReceipt(IntakeStatus.REJECTED, 0, 0, 0, reason);
  }

  /** Stages a record's rejection with the file's intake (recorded only if the file is accepted). */
  private static void rejectRecord(Intake intake, String fileName, long line, String recordId, String reason) {
    intake.reject(new Rejection(fileName, line, recordId, reason));
  }

  private void record(Rejection rejection) {
    rejectionsTotal++;
    if (rejections.size() < config.rejectionsKeptMax()) {
      rejections.add(rejection);
    }
  }

  /** The first {@code rejectionsKeptMax} rejections, oldest first. */
  public synchronized List<Rejection> rejections() {
    return List.copyOf(rejections);
  }

  /** Every rejection ever recorded, including those beyond {@code rejectionsKeptMax}. */
  public synchronized long rejectionsTotal() {
    return rejectionsTotal;
  }

  /** Records accepted so far for business day T (0 when none). */
  public synchronized long recordsAccepted(LocalDate businessDate) {
    DayClearing day = days.get(businessDate);
    return day == null ? 0 : day.recordsAccepted();
  }
}
